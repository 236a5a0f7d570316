"""Benchmark: the monitoring figures over a large prediction log, over HTTP.

Fills a fresh database (temporary SQLite, or --database-url) with N predictions over the
last 30 days, scored by a small real model (bins included, as the scoring service records
them), serves the REST API with granian and times, for the 30 days, `GET /api/v1/monitoring/`
drift, summary (service and decisions), fairness and performance:
  1. the first drift request before any rollup: it rolls up every closed hour itself
     (what the rollups spare, and what a bulk load costs once);
  2. in a freshly started server, each route's first request (cold), then --repeats more.
Run: .venv/bin/python benchmarks/bench_monitoring_scale.py --rows 1000000
       [--database-url postgresql://user@host:5432/AN_EMPTY_DATABASE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from prediction_log_fill import DAYS, fill  # (benchmarks/, the script's folder)

from credit_app.config import load_settings
from credit_app.db.migrations import upgrade
from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.ml.model import CreditModel
from credit_app.ml.train import train_model
from credit_app.services import api_keys
from credit_app.services.actors import SYSTEM
from credit_app.services.container import build_services
from credit_app.services.monitoring_rollups import build_rollups
from tests.serving import free_port, start

HERE = Path(__file__).resolve().parent
ROUTES = ("drift", "summary", "fairness", "performance")


class Server:
    """The API alone served by granian (tests/serving.py starts and stops it), for as long
    as the block lasts."""

    def __init__(self, environment: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.environment = {**os.environ, **environment, "PYTHONPATH": str(HERE.parent)}
        self.log_path = log_path

    def __enter__(self) -> Server:
        command = [
            str(Path(sys.executable).parent / "granian"), "--interface", "asgi",
            "--host", "127.0.0.1", "--port", str(self.port), "api_only:app",
        ]  # fmt: skip
        self.app = start(self.environment, self.log_path, command=command, cwd=HERE)
        return self

    def __exit__(self, *exc: object) -> None:
        self.app.stop()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def timed_get(self, path: str, key: str) -> tuple[float, bytes]:
        request = urllib.request.Request(self.url(path), headers={"X-API-Key": key})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            body = response.read()
        return time.perf_counter() - began, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        train_model(
            synth.generate(3000, seed=11), model_dir, folds=2, params={"num_boost_round": 60}
        )
        environment = {
            "CREDIT_APP_DATA_DIR": tmp,
            "CREDIT_APP_MODEL_DIR": str(model_dir),
            "CREDIT_APP_SECRET_KEY": "benchmark-secret-" + "x" * 32,
        }
        if args.database_url:
            environment["CREDIT_APP_DATABASE_URL"] = args.database_url
        settings = load_settings(environment)
        upgrade(settings.database_url)
        services = build_services(settings)
        model = CreditModel.load(model_dir)
        seconds = fill(settings.database_url, args.rows, model)
        kind = settings.database_url.split(":")[0]
        print(f"{args.rows:,} predictions written in {seconds:.0f} s ({kind})", flush=True)
        with services.session() as session:
            key = api_keys.create_api_key(session, SYSTEM, name="bench", role=Role.analyst).key
            session.commit()
        end = datetime.now(UTC)
        query = urlencode(
            {"from": (end - timedelta(days=DAYS + 1)).isoformat(), "to": end.isoformat()}
        )
        with Server(environment, Path(tmp) / "server.log") as server:
            # Before any rollup: the server's first drift request rolls every closed hour
            # up itself (it must answer from complete counts), so it is timed here too.
            server.timed_get("/api/v1/model", key)  # the model loaded, as after a first page
            first, body = server.timed_get(f"/api/v1/monitoring/drift?{query}", key)
            assert b'"features"' in body
        print(f"first drift request with no rollups (builds them all): {first:.2f} s")
        with Server(environment, Path(tmp) / "server.log") as server:
            server.timed_get("/api/v1/model", key)
            for route in ROUTES:
                path = f"/api/v1/monitoring/{route}?{query}"
                cold, body = server.timed_get(path, key)
                assert body.startswith(b"{"), body[:200]
                warm = [server.timed_get(path, key)[0] for _ in range(args.repeats)]
                print(
                    f"{route}: cold {cold * 1e3:.0f} ms, then {args.repeats} more: median "
                    f"{statistics.median(warm) * 1e3:.0f} ms, slowest {max(warm) * 1e3:.0f} ms"
                )
        with services.session() as session:
            began = time.perf_counter()
            again = build_rollups(session, SYSTEM, services.models)
            took = (time.perf_counter() - began) * 1e3
            print(f"build_rollups with nothing new: {again} written in {took:.0f} ms")
        services.close()


if __name__ == "__main__":
    main()
