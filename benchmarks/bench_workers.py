"""Benchmark: memory and requests/s of the served app with 1, 2 and 3 Granian workers.

Serves the whole app the way users do (`credit-app serve`, production mode, state in Redis)
on a temporary SQLite database (or --database-url) with synthetic clients and a model of the
demo's size, once per worker count, one after the other in the same run. For each:
  - memory of every worker once each has loaded the model: RSS, and PSS (shared pages
    counted once across the processes sharing them: the workers are forked);
  - wrk on loopback, --connections connections, --seconds each: GET /api/v1/health, then
    POST /api/v1/clients/{id}/score over the clients in turn (requests/s, p50, p99, errors).
Needs wrk on PATH. Run: .venv/bin/python benchmarks/bench_workers.py
       [--workers 1 2 3] [--redis-url redis://127.0.0.1:6379/0] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from credit_app.ml import synth
from credit_app.ml.train import train_model
from tests.serving import ServedApp, app_environment, run_cli, served

SCORE_SCRIPT = """
ids = {%s}
i = 0
request = function()
  i = i %% #ids + 1
  return wrk.format("POST", "/api/v1/clients/" .. ids[i] .. "/score", {["X-API-Key"] = "%s"})
end
"""


def _mib(value: float) -> float:
    return value / 2**20


def _workers(app: ServedApp) -> list[psutil.Process]:
    """Granian's workers: the children of the Reflex process."""
    return psutil.Process(app.process.pid).children()


def _load_model_everywhere(app: ServedApp, workers: int) -> None:
    """Ready requests from many connections until every worker's log says it loaded."""
    ready = f"{app.base_url}/api/v1/ready"
    deadline = time.monotonic() + 120
    with ThreadPoolExecutor(16) as pool:
        while time.monotonic() < deadline:
            list(pool.map(lambda _: urllib.request.urlopen(ready), range(64)))
            loaded = set(re.findall(r"worker (\d+): serving model", app.log_path.read_text()))
            if len(loaded) >= workers:
                return
    raise RuntimeError("not every worker loaded the model")


def _deaths(app: ServedApp) -> int:
    """Workers that died unexpectedly (Granian then starts new ones)."""
    return app.log_path.read_text().count("Unexpected exit from worker")


def _wrk(url: str, connections: int, seconds: int, script: Path | None) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency_ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": latency_ms("50%"),
        "p99": latency_ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--train-rows", type=int, default=10_000)
    parser.add_argument("--logs", type=Path, help="keep the served apps' logs in this folder")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        logs = args.logs or data
        logs.mkdir(parents=True, exist_ok=True)
        settings = {"CREDIT_APP_REDIS_URL": args.redis_url}
        if args.database_url:
            settings["CREDIT_APP_DATABASE_URL"] = args.database_url
        env = app_environment(data, data / "model", **settings)
        # The demo's model: 10,000 rows, default parameters.
        train_model(synth.generate(args.train_rows, seed=1), data / "model", folds=2)
        clients = data / "clients.csv"
        synth.write_csv(synth.generate(args.clients, seed=2), clients)
        run_cli(["clients", "import", "--data", str(clients)], env)
        key = run_cli(["apikeys", "create", "--name", "bench", "--role", "officer"], env)
        key = key.strip().splitlines()[-1]
        ids = ",".join(
            line.split(",")[0] for line in clients.read_text().splitlines()[1:][: args.clients]
        )
        script = data / "score.lua"
        script.write_text(SCORE_SCRIPT % (ids, key))

        print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, loopback, cores: {os.cpu_count()}")
        print(
            "| workers | worker RSS MiB (median) | worker PSS MiB (median) | tree PSS MiB "
            "| health req/s | score req/s | score p50 ms | score p99 ms | score errors "
            "| worker deaths |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for workers in args.workers:
            env["CREDIT_APP_WORKERS"] = str(workers)
            with served(env, logs / f"serve-{workers}.log") as app:
                _load_model_everywhere(app, workers)
                infos = [p.memory_full_info() for p in _workers(app)]
                tree = [psutil.Process(app.process.pid), *_workers(app)]
                tree_pss = sum(p.memory_full_info().pss for p in tree)
                health = _wrk(f"{app.base_url}/api/v1/health", args.connections, args.seconds, None)
                score = _wrk(f"{app.base_url}/", args.connections, args.seconds, script)
                print(
                    f"| {workers} | {_mib(statistics.median(i.rss for i in infos)):.0f} "
                    f"| {_mib(statistics.median(i.pss for i in infos)):.0f} | {_mib(tree_pss):.0f} "
                    f"| {health['rps']:.0f} | {score['rps']:.0f} | {score['p50']:.0f} "
                    f"| {score['p99']:.0f} | {score['errors']} {score['socket_errors']} "
                    f"| {_deaths(app)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
