"""`credit-app simulate-traffic` against the app served in production mode: every simulated
applicant is scored and recorded through the real API, and their outcomes recorded."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

import pytest
from sqlalchemy import create_engine, func
from sqlmodel import Session, col, select

from credit_app.config import load_settings
from credit_app.db.models import Client, Outcome, Prediction
from credit_app.ml.simulation import run_first_id
from tests.e2e.conftest import ServedApp
from tests.serving import run_cli

pytestmark = pytest.mark.e2e

REQUESTS = 60
SEED = 909


def _predictions_total(app: ServedApp, key: str) -> int:
    request = urllib.request.Request(
        f"{app.base_url}/api/v1/predictions?limit=1", headers={"X-API-Key": key}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.loads(response.read())["total"])


def test_simulated_traffic_is_scored_recorded_and_given_outcomes(served_app: ServedApp) -> None:
    created = run_cli(
        ["apikeys", "create", "--name", "simulator", "--role", "admin"], served_app.env
    )
    key = created.strip().splitlines()[-1]
    before = _predictions_total(served_app, key)

    run = subprocess.run(
        [sys.executable, "-m", "credit_app.cli", "simulate-traffic", "--url", served_app.base_url,
         "--api-key", key, "--requests", str(REQUESTS), "--outcomes", "--outcome-delay", "0",
         "--seed", str(SEED), "--concurrency", "4"],
        env=served_app.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f"answers: {REQUESTS} x 200; 4xx/5xx: none; no answer: 0" in run.stdout
    assert f"Recorded {REQUESTS} outcomes" in run.stdout
    assert _predictions_total(served_app, key) == before + REQUESTS

    # The served app's database, read only: each applicant is a client with one API
    # prediction and one outcome recorded by the key.
    path = load_settings(served_app.env).database_url.removeprefix("sqlite:///")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    first = run_first_id(SEED)
    ours = col(Client.sk_id_curr).between(first, first + REQUESTS - 1)
    with Session(engine) as session:
        clients = session.exec(select(func.count()).select_from(Client).where(ours)).one()
        predictions = session.exec(
            select(Prediction.channel, Prediction.status).join(Client).where(ours)
        ).all()
        outcomes = session.exec(select(Outcome.recorded_by).join(Client).where(ours)).all()
    engine.dispose()
    assert clients == REQUESTS
    assert sorted(set(predictions)) == [("api", 200)] and len(predictions) == REQUESTS
    assert len(outcomes) == REQUESTS and all(by.startswith("api_client:") for by in outcomes)
