"""Profile of the scoring path: where a scoring request's time goes, under cProfile and
pyinstrument.

Builds a fresh database (temporary SQLite, or --database-url, an empty database), imports
synthetic clients and creates an officer API key, then sends requests one after another to
the REST API in process (httpx's ASGITransport: routing, validation, authentication,
services, model and database as served, without the network and the server):
  client              POST /api/v1/clients/{id}/score
  client-explain      POST /api/v1/clients/{id}/score?explain=true
  applicant           POST /api/v1/score (a new applicant)
  applicant-explain   POST /api/v1/score?explain=true
Each scenario is timed without a profiler (median per request), then run under cProfile and
under pyinstrument. The report goes to --out: summary.md (the timings, each scenario's own
time by package and its top functions), and per scenario <name>.cprofile.txt (top
functions by own and by cumulative time), <name>.prof (cProfile's data, for pstats or
snakeviz), <name>.pyinstrument.html (the call tree to open in a browser) and .txt.
The model is the app's (CREDIT_APP_MODEL_DIR, as `make run` trains it) or --model-dir; when
there is none, one is trained on synthetic rows with the default parameters.
Run: .venv/bin/python benchmarks/profile_scoring.py [--requests 500]
       [--explained-requests 200] [--database-url URL] [--out profile-results]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from credit_app.ml import use_scoring_threads

use_scoring_threads()  # as `credit-app serve` runs; before lightgbm loads

import anyio.to_thread  # noqa: E402
import httpx  # noqa: E402
from load_data import new_applicants  # noqa: E402  (benchmarks/, the script's folder)
from pyinstrument import Profiler  # noqa: E402

from credit_app.api.app import create_api  # noqa: E402
from credit_app.config import load_settings  # noqa: E402
from credit_app.db.migrations import upgrade  # noqa: E402
from credit_app.domain import Role  # noqa: E402
from credit_app.ml import synth  # noqa: E402
from credit_app.ml.model import CreditModel  # noqa: E402
from credit_app.ml.train import train_model  # noqa: E402
from credit_app.services import api_keys, clients  # noqa: E402
from credit_app.services.actors import SYSTEM  # noqa: E402
from credit_app.services.container import Services, build_services  # noqa: E402

HERE = Path(__file__).resolve().parent
CLIENTS = 500
APPLICANTS = 500
WARM_UP = 20
TOP = 25
SUMMARY_TOP = 12
T = TypeVar("T")


@dataclass(frozen=True)
class Scenario:
    name: str
    explain: bool
    known_client: bool

    def request(self, i: int, ids: list[int], applicants: list[dict[str, Any]]) -> dict[str, Any]:
        """httpx arguments of the scenario's i-th request."""
        query = "?explain=true" if self.explain else ""
        if self.known_client:
            return {"url": f"/api/v1/clients/{ids[i % len(ids)]}/score{query}"}
        return {"url": f"/api/v1/score{query}", "json": applicants[i % len(applicants)]}


SCENARIOS = (
    Scenario("client", explain=False, known_client=True),
    Scenario("client-explain", explain=True, known_client=True),
    Scenario("applicant", explain=False, known_client=False),
    Scenario("applicant-explain", explain=True, known_client=False),
)


@contextmanager
def sync_code_inline() -> Iterator[None]:
    """FastAPI runs sync routes and dependencies in worker threads (anyio.to_thread); both
    profilers follow one thread only, so here they run in the calling thread instead. The
    requests go one at a time, so nothing else was waiting for the event loop."""
    threaded = anyio.to_thread.run_sync

    async def inline(function: Callable[..., T], *args: Any, **_: Any) -> T:
        return function(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = threaded  # type: ignore[assignment]


class Caller:
    """The API in process, sending one scenario's requests one after another."""

    def __init__(self, services: Services, key: str, ids: list[int]) -> None:
        self.app = create_api(lambda: services)
        self.headers = {"X-API-Key": key}
        self.ids = ids
        self.applicants = new_applicants(APPLICANTS, seed=17)

    def run(self, scenario: Scenario, count: int) -> list[float]:
        """Send `count` requests; the seconds each took. Any answer but 200 stops the run."""
        return asyncio.run(self._send(scenario, count))

    async def _send(self, scenario: Scenario, count: int) -> list[float]:
        transport = httpx.ASGITransport(app=self.app)
        seconds: list[float] = []
        async with httpx.AsyncClient(
            transport=transport, base_url="http://profile", headers=self.headers
        ) as client:
            for i in range(count):
                began = time.perf_counter()
                response = await client.post(**scenario.request(i, self.ids, self.applicants))
                seconds.append(time.perf_counter() - began)
                if response.status_code != 200:
                    sys.exit(f"{scenario.name}: {response.status_code} {response.text[:300]}")
        return seconds


def _package(filename: str, function: str) -> str:
    """Where a profiled function's code lives: a site-packages distribution, credit_app, a
    standard module, or the C function's owner (sqlite3, psycopg2, ...)."""
    if filename == "~":  # a built-in: "<method 'execute' of 'sqlite3.Cursor' objects>"
        for owner in ("sqlite3", "psycopg2", "_pickle", "_json", "zlib", "_hashlib"):
            if owner in function:
                return f"{owner} (C)"
        return "builtins (C)"
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if "credit_app" in path.parts:
        return "credit_app." + path.parts[path.parts.index("credit_app") + 1].removesuffix(".py")
    if "benchmarks" in path.parts:
        return "benchmarks (this script)"
    if path.parent.name.startswith("python"):
        return f"stdlib {path.stem}"
    return f"stdlib {path.parent.name}" if path.parent.name else filename  # <frozen ...>


def own_time_by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Seconds of own time per package, largest first."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        totals[_package(filename, function)] += own
    return sorted(totals.items(), key=lambda item: -item[1])


def _top(profiler: cProfile.Profile, order: str, count: int) -> str:
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(count)
    return stream.getvalue()


def _commit() -> str:
    run = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    )
    return run.stdout.strip() or "unknown"


def _model_dir(given: Path | None, tmp: Path) -> Path:
    """--model-dir, else the app's model, else one trained here with the default parameters."""
    model_dir = given or load_settings().model_dir
    if (model_dir / "model_card.json").exists():
        return model_dir
    if given:
        sys.exit(f"profile_scoring: no model in {given} (model_card.json is missing)")
    print(f"No model in {model_dir}: training one on 10,000 synthetic rows...", flush=True)
    trained = tmp / "model"
    train_model(synth.generate(10_000, seed=1), trained, folds=2)
    return trained


def _world(args: argparse.Namespace, tmp: Path) -> tuple[Services, str, list[int]]:
    """Services over a fresh database with synthetic clients; an officer key; client ids."""
    environment = {
        "CREDIT_APP_DATA_DIR": str(tmp),
        "CREDIT_APP_MODEL_DIR": str(_model_dir(args.model_dir, tmp)),
    }
    if args.database_url:
        environment["CREDIT_APP_DATABASE_URL"] = args.database_url
    settings = load_settings(environment)
    upgrade(settings.database_url)
    services = build_services(settings)
    frame = synth.generate(CLIENTS, seed=5)
    with services.session() as session:
        clients.import_clients(session, SYSTEM, frame, secret=settings.secret_key)
        key = api_keys.create_api_key(session, SYSTEM, name="profile", role=Role.officer).key
        session.commit()
    return services, key, [int(i) for i in frame["SK_ID_CURR"]]


def _timed(run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


def profile(caller: Caller, scenario: Scenario, count: int, out: Path) -> list[str]:
    """Time, then profile one scenario; write its files; its part of the summary."""
    caller.run(scenario, WARM_UP)
    median = statistics.median(caller.run(scenario, count))
    profiler = cProfile.Profile()
    profiled = _timed(lambda: profiler.runcall(caller.run, scenario, count))
    profiler.dump_stats(out / f"{scenario.name}.prof")  # for pstats, snakeviz, ...
    stats = pstats.Stats(profiler)
    (out / f"{scenario.name}.cprofile.txt").write_text(
        f"{count} requests of {scenario.name}\n\nby own time (tottime)\n"
        + _top(profiler, "tottime", TOP)
        + "\nby cumulative time\n"
        + _top(profiler, "cumulative", TOP)
    )
    sampler = Profiler(interval=0.0005, async_mode="disabled")
    sampler.start()
    caller.run(scenario, count)
    sampler.stop()
    (out / f"{scenario.name}.pyinstrument.html").write_text(sampler.output_html())
    (out / f"{scenario.name}.pyinstrument.txt").write_text(
        sampler.output_text(unicode=True, color=False)
    )
    total = sum(own for _, own in own_time_by_package(stats))
    lines = [
        f"## {scenario.name}: {count} requests, median {median * 1e3:.2f} ms without a "
        f"profiler ({profiled / count * 1e3:.2f} ms under cProfile)",
        "",
        "Own time by package (cProfile), per request:",
        "",
        "| package | ms per request | share |",
        "|---|---|---|",
    ]
    for package, own in own_time_by_package(stats)[:SUMMARY_TOP]:
        lines.append(f"| {package} | {own / count * 1e3:.3f} | {own / total:.1%} |")
    lines += ["", "Top functions by own time:", "", "```"]
    lines += _top(profiler, "tottime", SUMMARY_TOP).strip().splitlines()[-SUMMARY_TOP - 1 :]
    lines += ["```", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500, help="per scenario without explain")
    parser.add_argument("--explained-requests", type=int, default=200)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    parser.add_argument("--model-dir", type=Path, help="default: the app's model")
    parser.add_argument("--out", type=Path, default=Path("profile-results"))
    args = parser.parse_args()
    out = args.out / f"{datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        services, key, ids = _world(args, Path(tmp))
        try:
            model = CreditModel.load(services.settings.model_dir)
            kind = services.settings.database_url.split(":")[0]
            summary = [
                "# Scoring path profile",
                "",
                f"{datetime.now():%Y-%m-%d %H:%M}, commit {_commit()}; model "
                f"{model.booster.num_trees()} trees, {model.booster.num_feature()} features; "
                f"database {kind}; requests one at a time through the API in process.",
                "",
            ]
            caller = Caller(services, key, ids)
            with sync_code_inline():
                for scenario in SCENARIOS:
                    count = args.explained_requests if scenario.explain else args.requests
                    print(f"profiling {scenario.name} ({count} requests)...", flush=True)
                    summary += profile(caller, scenario, count, out)
        finally:
            services.close()
    (out / "summary.md").write_text("\n".join(summary))
    print("\n".join(summary))
    print(f"Report in {out}/ (summary.md; *.cprofile.txt, *.prof, *.pyinstrument.html, .txt)")


if __name__ == "__main__":
    main()
