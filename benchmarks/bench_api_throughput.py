"""Benchmark: scoring throughput of the served app under wrk, against its own health route
and a scoring API built the usual way (typical_api.py), in the same run.

Prepares a database (temporary SQLite, or --database-url: an empty PostgreSQL database)
with --clients synthetic clients and a model trained on them, serves the app as a user
does (`credit-app serve`, one worker: no Redis), then takes turns, --rounds times, with
`wrk --latency` (--connections connections, --seconds each) on:
  score    POST /api/v1/clients/{id}/score with an officer's API key, ids drawn at random
  health   GET /api/v1/health of the same server
  typical  POST /score of typical_api.py (granian, one worker, its own SQLite file)
and prints each one's median requests/s, p50 and p99 over the rounds, the ratios, and the
records the score rounds left against their 2xx answers. Needs `wrk` (apt-get install wrk).
--profile FILE also samples the served app with py-spy (`uv pip install py-spy`, for
measuring only) during an extra score round and writes its collapsed stacks to FILE, with
the inclusive share of the busy time of the scoring path's parts printed at the end.
--explain scores with ?explain=true, takes turns with the same route without it ("plain"),
and compares the p50s with the model's raw pred_contrib time on one row.
Run: .venv/bin/python benchmarks/bench_api_throughput.py [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, func, select

from credit_app.db.models import Prediction
from credit_app.ml import synth
from credit_app.ml.features import frame_features
from credit_app.ml.model import CreditModel, dense_predict
from credit_app.ml.train import train_model
from tests.serving import ServedApp, app_environment, free_port, run_cli, served

HERE = Path(__file__).resolve().parent
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, script: Path | None, connections: int, seconds: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for name, percent in (("p50", "50"), ("p99", "99")):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        figures[name] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    figures["non_2xx"] = float(errors.group(1)) if errors else 0.0
    figures["socket_errors"] = 0.0 if not socket_errors else 1.0
    figures["requests"] = float(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return figures


def post_script(path: Path, paths: list[str], body: str, headers: dict[str, str]) -> Path:
    """A wrk Lua script POSTing `body` to one of `paths` at random."""
    lines = [
        "wrk.method = 'POST'",
        f"wrk.body = {json.dumps(body)}",
        *(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()),
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}",
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


#: Parts of the scoring path, by a frame's text in py-spy's collapsed stacks (inclusive).
PROFILE_PARTS = {
    "authentication (get_actor)": "get_actor (credit_app/api/deps.py",
    "  API key lookup in the database": "authenticate_api_key (",
    "route (clients.score)": "score (credit_app/api/clients.py",
    "  client read": "_stored_application (credit_app/services/scoring.py",
    "  scoring service (ScoringService)": "ScoringService.",
    "  validate_applicant": "validate_applicant (",
    "  model.score": "score (credit_app/ml/model.py",
    "  Booster.predict": "predict (lightgbm/basic.py",
    "  submitting the record": "GroupCommit.submit (",
    "response (serialize_response)": "serialize_response (fastapi/routing.py",
    "writer thread (_write_group)": "_write_group (credit_app/services/prediction_log.py",
    "SQLAlchemy (anywhere)": "sqlalchemy/",
    "pydantic (anywhere)": "pydantic/",
    "worker-thread hand-offs (anyio)": "run_sync_in_worker_thread (anyio",
    "ASGI and middleware (Starlette)": "Starlette.__call__ (starlette/applications.py",
}


def profile(app: ServedApp, script: Path, out: Path, connections: int, seconds: int) -> None:
    """A score round under py-spy (every process of the server); the parts' shares.

    Only threads holding the GIL are sampled (`--gil`): a worker's Python code runs on one
    core at a time, so what holds the GIL is what bounds its throughput; without it a thread
    waiting to take the GIL back after a database call counted as busy in that call."""
    spy = subprocess.Popen(
        ["py-spy", "record", "--subprocesses", "--gil", "--format", "raw", "--rate", "200",
         "--duration", str(seconds), "--pid", str(app.process.pid), "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    profiled = wrk(app.base_url, script, connections, seconds)
    spy.wait()
    counts: dict[str, int] = dict.fromkeys(PROFILE_PARTS, 0)
    busy = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack.count("process ") < 2:
            continue  # the Reflex and Granian parent, not its worker (a child: two levels)
        busy += int(count)
        for name, marker in PROFILE_PARTS.items():
            if marker in stack:
                counts[name] += int(count)
    print(f"\nprofile ({busy} samples holding the GIL in the worker, inclusive shares; "
          f"{profiled['rps']:.0f} scores/s under py-spy):")  # fmt: skip
    for name, count in counts.items():
        print(f"  {name:38} {100 * count / max(busy, 1):5.1f} %")


def contribution_ms(model_dir: Path, clients: pd.DataFrame) -> float:
    """Median time of the model's raw TreeSHAP (`pred_contrib`) on one applicant's row, as
    the explain target is stated against it."""
    model = CreditModel.load(model_dir)
    rows = frame_features(clients.head(200))
    times = []
    for row in rows:
        started = time.perf_counter()
        dense_predict(model.booster, row[None, :], contributions=True, num_threads=1)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--skip-typical", action="store_true")
    parser.add_argument("--explain", action="store_true", help="score with ?explain=true")
    parser.add_argument("--profile", type=Path, help="py-spy's collapsed stacks go here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        clients = synth.generate(args.clients, seed=5)
        synth.write_csv(clients, tmp / "clients.csv")
        train_model(clients, tmp / "model", folds=2, params={"num_boost_round": 200})
        settings = {"CREDIT_APP_DATABASE_URL": args.database_url} if args.database_url else {}
        env = app_environment(tmp / "data", tmp / "model", **settings)
        run_cli(["clients", "import", "--data", str(tmp / "clients.csv")], env)
        key = run_cli(["apikeys", "create", "--name", "bench", "--role", "officer"], env)
        key = key.strip().splitlines()[-1]
        ids = [int(i) for i in clients["SK_ID_CURR"]]
        contrib_ms = contribution_ms(tmp / "model", clients) if args.explain else None
        plain_lua, explain_lua = (
            post_script(
                tmp / f"score{n}.lua",
                [f"/api/v1/clients/{i}/score{query}" for i in ids[:2000]],
                "",
                {"X-API-Key": key},
            )
            for n, query in enumerate(("", "?explain=true"))
        )
        score_lua = explain_lua if args.explain else plain_lua
        applicant = {
            k: v for k, v in json.loads(clients.iloc[0].to_json()).items() if v is not None
        }
        typical_lua = post_script(
            tmp / "typical.lua",
            ["/score"],
            json.dumps(applicant),
            {"Content-Type": "application/json"},
        )
        url = args.database_url or f"sqlite:///{tmp / 'data' / 'credit_app.db'}"
        table = Prediction.__table__  # type: ignore[attr-defined]
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))

        def records() -> int:
            with engine.connect() as connection:
                return connection.execute(select(func.count()).select_from(table)).scalar_one()

        results: dict[str, list[dict[str, float]]] = {"score": [], "health": [], "typical": []}
        if args.explain:  # the same route without explanations, in the same run
            results["plain"] = []
        typical_port = free_port()
        typical_cmd = [
            str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--host",
            "127.0.0.1", "--port", str(typical_port), "--workers", "1", "typical_api:app",
        ]  # fmt: skip
        typical_env = {**env, "TYPICAL_API_DIR": tmp_name, "CREDIT_APP_PORT": str(typical_port)}
        answered = 0
        before = records()
        with served(env, tmp / "serve.log") as app:
            wrk(f"{app.base_url}/api/v1/clients/{ids[0]}/score", score_lua, 8, 3)  # warm up
            if args.profile:
                profile(app, score_lua, args.profile, args.connections, args.seconds)
            before = records()
            typical_server = (
                nullcontext()
                if args.skip_typical
                else served(
                    typical_env,
                    tmp / "typical.log",
                    command=typical_cmd,
                    cwd=HERE,
                    ready_path="/health",
                )
            )
            with typical_server as typical:
                for round_ in range(args.rounds):
                    score = wrk(app.base_url, score_lua, args.connections, args.seconds)
                    answered += int(score["requests"] - score["non_2xx"])
                    results["score"].append(score)
                    if args.explain:
                        plain = wrk(app.base_url, plain_lua, args.connections, args.seconds)
                        answered += int(plain["requests"] - plain["non_2xx"])
                        results["plain"].append(plain)
                    results["health"].append(
                        wrk(f"{app.base_url}/api/v1/health", None, args.connections, args.seconds)
                    )
                    if typical is not None:
                        results["typical"].append(
                            wrk(typical.base_url, typical_lua, args.connections, args.seconds)
                        )
                    print(f"round {round_ + 1}: " + ", ".join(
                        f"{name} {runs[-1]['rps']:.0f}/s" for name, runs in results.items() if runs
                    ), flush=True)  # fmt: skip
        recorded = records() - before
        kind = url.split(":")[0]
        print(f"\n{kind}, one worker, {args.connections} connections, {args.rounds} rounds "
              f"of {args.seconds} s, medians:")  # fmt: skip
        medians = {}
        for name, runs in results.items():
            if not runs:
                continue
            medians[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            m = medians[name]
            failed = int(sum(r["non_2xx"] for r in runs))
            print(f"  {name:8} {m['rps']:8.0f} requests/s   p50 {m['p50']:7.1f} ms   "
                  f"p99 {m['p99']:7.1f} ms   non-2xx {failed}")  # fmt: skip
        score_rps = medians["score"]["rps"]
        print(f"  score / health  {score_rps / medians['health']['rps']:.2f}")
        if "typical" in medians:
            print(f"  score / typical {score_rps / medians['typical']['rps']:.2f}")
        print(f"  score p99 / p50 {medians['score']['p99'] / medians['score']['p50']:.1f}")
        print(f"  2xx score answers {answered}, new records {recorded}")
        if contrib_ms is not None:
            plain_p50 = medians["plain"]["p50"]
            print(f"  raw pred_contrib of one row (median) {contrib_ms:.2f} ms")
            bound = medians["score"]["p50"] / (plain_p50 + contrib_ms)
            print(f"  explain p50 / (no-explain p50 + pred_contrib) {bound:.2f} (asked: < 1.5)")
        engine.dispose()


if __name__ == "__main__":
    main()
