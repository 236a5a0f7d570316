"""`make load`: the REST API under Locust, served as a user serves it.

1. `credit-app demo prepare`: demo accounts, clients and model, made once (as `make run`);
2. credentials: a new officer API key for the run and the demo officer's password (from the
   demo credentials file), unless LOAD_API_KEY / LOAD_USERNAME / LOAD_PASSWORD are set;
3. `credit-app serve` on a free port, until `GET /api/v1/ready` answers 200;
4. Locust headless with benchmarks/locustfile.py: --users users for --seconds, its CSV files
   (load_stats.csv, load_failures.csv, load_stats_history.csv, ...) in --out/<time>/;
5. a table per task (requests, failures, requests/s, median, p95, p99), then the server is
   stopped with SIGTERM. Exit status: Locust's (1 when a request failed).
The app's settings come from the environment as for `credit-app serve` (CREDIT_APP_*: e.g.
CREDIT_APP_DATABASE_URL for PostgreSQL, CREDIT_APP_REDIS_URL for several workers).
Run: .venv/bin/python benchmarks/run_load.py [--users 32] [--seconds 60] [--out load-results]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tests.serving import free_port, start

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _cli(*args: str, capture: bool = True) -> str:
    """`credit-app ARGS` with this environment; its standard output if `capture`, else shown
    (its errors are shown either way)."""
    run = subprocess.run(
        [sys.executable, "-m", "credit_app.cli", *args],
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    if run.returncode != 0:
        sys.exit(f"run_load: credit-app {' '.join(args)} failed with status {run.returncode}")
    return run.stdout or ""


def _credentials() -> dict[str, str]:
    """LOAD_API_KEY, LOAD_USERNAME and LOAD_PASSWORD: from the environment, else a new key
    and the demo officer's account."""
    names = ("LOAD_API_KEY", "LOAD_USERNAME", "LOAD_PASSWORD")
    found = {name: os.environ.get(name, "") for name in names}
    if not found["LOAD_API_KEY"]:
        name = f"load-{datetime.now():%Y%m%d-%H%M%S}"
        created = _cli("apikeys", "create", "--name", name, "--role", "officer")
        found["LOAD_API_KEY"] = created.strip().splitlines()[-1]
    if not found["LOAD_USERNAME"]:
        from credit_app.config import load_settings
        from credit_app.domain import Role
        from credit_app.services import demo

        path = demo.credentials_path(load_settings())
        username = demo.DEMO_USERNAMES[Role.officer]
        known = json.loads(path.read_text()) if path.exists() else {}
        if username not in known:
            sys.exit(
                f"run_load: no password for the demo officer in {path}: set LOAD_USERNAME and "
                "LOAD_PASSWORD (an officer's account)"
            )
        found["LOAD_USERNAME"], found["LOAD_PASSWORD"] = username, known[username]
    return found


def locust_command(url: str, users: int, seconds: int, csv_prefix: Path) -> list[str]:
    """Locust headless on the locustfile: every user started in the first second."""
    return [
        str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--host", url, "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
        "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip


def stats_table(stats_csv: Path) -> str:
    """Locust's per-request statistics as a Markdown table, the aggregate last."""
    lines = [
        "| request | requests | failures | requests/s | median ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            name = f"{row['Type']} {row['Name']}".strip() if row["Type"] else row["Name"]
            lines.append(
                f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} | "
                f"{float(row['Requests/s']):,.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=32, help="concurrent users (default 32)")
    parser.add_argument("--seconds", type=int, default=60, help="run time (default 60)")
    parser.add_argument("--out", type=Path, default=Path("load-results"))
    args = parser.parse_args()
    if args.users < 1 or args.seconds < 1:
        sys.exit("run_load: --users and --seconds must be at least 1")
    out = args.out / f"{datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    _cli("demo", "prepare", capture=False)
    environment = {**os.environ, **_credentials()}
    env = {**os.environ, "CREDIT_APP_PORT": str(free_port())}
    try:
        app = start(env, out / "serve.log", ready_path="/api/v1/ready")
    except RuntimeError as error:
        sys.exit(f"run_load: {error}")
    try:
        url = app.base_url
        print(f"Serving on {url}; Locust: {args.users} users for {args.seconds} s", flush=True)
        locust = subprocess.run(
            locust_command(url, args.users, args.seconds, out / "load"), env=environment
        )
    finally:
        app.stop()  # SIGTERM: a graceful stop (Reflex cleans its socket records only then)
    print(f"\n{stats_table(out / 'load_stats.csv')}\n")
    print(f"CSV results and the server's log in {out}/")
    sys.exit(locust.returncode)


if __name__ == "__main__":
    main()
