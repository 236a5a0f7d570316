"""Benchmark: the analysts' prediction listing on a large prediction log.

Fills a fresh database (a temporary SQLite file, or --database-url) with N predictions
written through the product's own PredictionLog in batches, as the batch scoring path
writes them (inputs included), then times `list_predictions` pages: newest first, filtered
by decision, by channel and by date, deep into the listing (medians of --repeats calls).
On PostgreSQL the pages are timed again after VACUUM ANALYZE, as autovacuum leaves a table.
Run: .venv/bin/python benchmarks/bench_prediction_listing.py [--rows 1000000]
       [--database-url postgresql://user@host:5432/AN_EMPTY_DATABASE]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta

from prediction_log_fill import fill  # (benchmarks/, the script's folder)

from credit_app.config import load_settings
from credit_app.db.engine import Database
from credit_app.db.migrations import upgrade
from credit_app.db.types import utcnow
from credit_app.domain import ActorKind, Channel, Role
from credit_app.services.actors import Actor
from credit_app.services.predictions import list_predictions

ANALYST = Actor(kind=ActorKind.user, id=1, name="bench", role=Role.analyst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        environment = {"CREDIT_APP_DATA_DIR": tmp}  # the product's own URL checks
        if args.database_url:
            environment["CREDIT_APP_DATABASE_URL"] = args.database_url
        url = load_settings(environment).database_url
        upgrade(url)
        fill_seconds = fill(url, args.rows)
        print(f"{args.rows:,} predictions written in {fill_seconds:.0f} s ({url.split(':')[0]})")
        deep = args.rows // 7
        week_ago = utcnow() - timedelta(days=7)
        cases = {
            "newest 50": {},
            f"newest 50 after skipping {deep:,}": {"offset": deep},
            "refused, newest 50": {"decision": "refuse"},
            f"approved since a date, 181 after skipping {deep // 2:,}": {
                "decision": "approve",
                "since": week_ago - timedelta(days=20),
                "limit": 181,
                "offset": deep // 2,
            },
            f"API channel, 181 after skipping {deep // 3:,}": {
                "channel": Channel.api,
                "limit": 181,
                "offset": deep // 3,
            },
            "last 7 days, newest 50": {"since": week_ago},
        }
        _time_cases(url, cases, args.repeats, "right after writing")
        if url.startswith("postgresql"):
            # What autovacuum does after a bulk load: planner statistics and the visibility
            # map, without which PostgreSQL can neither choose nor use index-only scans.
            with Database(url).engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.exec_driver_sql("VACUUM ANALYZE predictions")
            _time_cases(url, cases, args.repeats, "after VACUUM ANALYZE (as autovacuum would)")


def _time_cases(url: str, cases: dict[str, dict], repeats: int, heading: str) -> None:
    print(f"\n{heading}:\n")
    print("| page | median | slowest | total rows matched |")
    print("|---|---|---|---|")
    for label, filters in cases.items():
        timings = []
        database = Database(url)
        for _ in range(repeats):
            with database.session() as session:
                began = time.perf_counter()
                page = list_predictions(session, ANALYST, **{"limit": 50, **filters})
                timings.append(time.perf_counter() - began)
        print(
            f"| {label} | {statistics.median(timings) * 1e3:.0f} ms | "
            f"{max(timings) * 1e3:.0f} ms | {page.total:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
