"""The Locust file of `make load` against the app served in production mode: every task
reaches its real route and gets a right answer (a decision, an explanation, a whole batch,
a token), with no failure."""

from __future__ import annotations

import csv
import subprocess

import pytest

from benchmarks.run_load import HERE, locust_command
from tests.e2e.conftest import OFFICER, ServedApp
from tests.serving import run_cli

pytestmark = pytest.mark.e2e

#: Four origination systems and one officer (the classes' weights are 4 and 1).
USERS = 5
SECONDS = 5
TASKS = (
    "POST /api/v1/score",
    "POST /api/v1/clients/[id]/score",
    "POST /api/v1/score/batch [20 rows]",
    "POST /api/v1/auth/token",
    "POST /api/v1/clients/[id]/score?explain=true",
)


def test_the_locustfile_loads_every_route_without_failure(served_app: ServedApp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    created = run_cli(
        ["apikeys", "create", "--name", "load-test", "--role", "officer"], served_app.env
    )
    environment = {
        **served_app.env,
        "LOAD_API_KEY": created.strip().splitlines()[-1],
        "LOAD_USERNAME": OFFICER.username,
        "LOAD_PASSWORD": OFFICER.password,
        "LOAD_SEED": "913",  # its own SK_ID_CURR range (simulate-traffic's test uses 909)
    }
    run = subprocess.run(
        locust_command(served_app.base_url, USERS, SECONDS, tmp_path / "load"),
        env=environment,
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with (tmp_path / "load_stats.csv").open() as handle:
        rows = {f"{r['Type']} {r['Name']}": r for r in csv.DictReader(handle)}
    for name in TASKS:
        assert int(rows[name]["Request Count"]) > 0, f"{name} was not sent: {sorted(rows)}"
    assert int(rows[" Aggregated"]["Failure Count"]) == 0
    with (tmp_path / "load_failures.csv").open() as handle:
        assert len(handle.read().strip().splitlines()) == 1  # the header only
