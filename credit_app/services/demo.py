"""Demo mode: accounts, synthetic clients, a model trained on them and three months of
scoring history with outcomes, for a first look (monitoring included)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from credit_app.config import Settings
from credit_app.db.models import Client, Prediction, User
from credit_app.db.types import utcnow
from credit_app.domain import ActorKind, Channel, Role
from credit_app.ml import synth
from credit_app.ml.loader import load_applications
from credit_app.ml.simulation import draw_outcomes, simulated_applicants
from credit_app.ml.train import train_model
from credit_app.services import clients, outcomes, users
from credit_app.services.actors import Actor, user_actor
from credit_app.services.prediction_log import prediction_row, scored_fields
from credit_app.services.scoring import INVALID_APPLICANT, ScoringService
from credit_app.services.values import json_records

CREDENTIALS_FILE = "demo_credentials.json"
DEMO_USERNAMES = {Role.officer: "officer", Role.analyst: "analyst", Role.admin: "admin"}
DEMO_ROWS = 10_000
DEMO_SEED = 20261124
DEMO_FOLDS = 5


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


def credentials_path(settings: Settings) -> Path:
    return settings.data_dir / CREDENTIALS_FILE


def ensure_demo_accounts(session: Session, actor: Actor, *, credentials: Path) -> dict[str, str]:
    """One account per role with a random password, kept in a private file; returns them."""
    known: dict[str, str] = json.loads(credentials.read_text()) if credentials.exists() else {}
    for role, username in DEMO_USERNAMES.items():
        if session.exec(select(User).where(User.username == username)).first():
            continue  # already there: its password is in the file, or not ours to print
        known[username] = secrets.token_urlsafe(9)
        users.create_user(session, actor, username=username, password=known[username], role=role)
    _write_private(credentials, json.dumps(known, indent=2))
    return known


def demo_data_path(settings: Settings) -> Path:
    return settings.data_dir / "demo" / "application_train.csv"


def ensure_demo_data(settings: Settings) -> Path:
    """A synthetic Home Credit file, generated once with a fixed seed."""
    path = demo_data_path(settings)
    if not path.exists():
        synth.write_csv(synth.generate(DEMO_ROWS, DEMO_SEED), path)
    return path


def ensure_demo_model(settings: Settings, progress: Callable[[str], None]) -> bool:
    """Train the demo model on the demo data unless a model is already there."""
    if (settings.model_dir / "model_card.json").exists():
        return False
    path = ensure_demo_data(settings)
    frame = load_applications(path, require_target=True).frame
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    train_model(frame, settings.model_dir, folds=DEMO_FOLDS, data_sha256=digest, progress=progress)
    return True


def ensure_demo_clients(session: Session, actor: Actor, *, data: Path, secret: str) -> int:
    """Import the demo file's applicants as clients when there are none yet."""
    if session.exec(select(func.count()).select_from(Client)).one() > 0:
        return 0
    frame = load_applications(data).frame
    return clients.import_clients(session, actor, frame, secret=secret).created


# -- scoring history ---------------------------------------------------------------------
TRAFFIC_DAYS = 90
#: Mean applications a day (Poisson): office hours on weekdays, fewer at weekends.
TRAFFIC_PER_DAY = {"weekday": 55.0, "weekend": 20.0}  # a week: over drift's 250-row minimum
TRAFFIC_CHANNELS = {Channel.api: 0.6, Channel.ui: 0.3, Channel.batch: 0.1}
#: Share of single applications (API, pages) refused with 422 for a mistake in a field.
TRAFFIC_FAILURE_SHARE = 0.03
#: Over the last days, larger loans: the drift page has a shift to show.
TRAFFIC_DRIFT = {"AMT_CREDIT": 1.3, "AMT_ANNUITY": 1.3}
TRAFFIC_DRIFT_DAYS = 10
#: Applications at least this old have their outcome recorded (30 to 45 days after them).
OUTCOME_AFTER_DAYS = 45
#: The history's applicants: above the Home Credit ids (the demo clients') and below the
#: ranges of `credit-app simulate-traffic` runs (`simulation.SIMULATED_FIRST_ID`).
TRAFFIC_FIRST_ID = 900_000_000
#: The loan-origination system that calls the API in the demo's history.
TRAFFIC_API_CLIENT = "loan-origination"
# Latency in ms of each kind of call: (median, log-normal sigma).
_LATENCY = {Channel.api: (18.0, 0.45), Channel.ui: (35.0, 0.5), Channel.batch: (0.6, 0.3)}
_FAILED_LATENCY = (3.0, 0.4)
# Mistakes that get an application refused, as an API caller or a form makes them.
_MISTAKES: list[tuple[str, Callable[[Any], Any]]] = [
    ("DAYS_BIRTH", abs),  # an age in days typed as a positive number
    ("EXT_SOURCE_2", lambda v: round(v * 100, 1) if v == v else 61.0),  # a percentage
    ("CODE_GENDER", lambda v: {"F": "Female", "M": "Male"}.get(v, "X")),  # a spelt-out value
    ("AMT_CREDIT", lambda v: f"{v:,.0f}".replace(",", " ")),  # "450 000": a text
]


@dataclass(frozen=True)
class DemoTraffic:
    """What `ensure_demo_traffic` wrote."""

    predictions: int
    failures: int
    channels: dict[str, int]
    outcomes: int
    start: datetime
    end: datetime


def ensure_demo_traffic(
    session: Session,
    actor: Actor,
    scoring: ScoringService,
    *,
    now: datetime | None = None,
    seed: int = DEMO_SEED + 1,  # not the training data's: traffic independent of it
) -> DemoTraffic | None:
    """Three months of scoring as the product would have logged it, when nothing is logged
    yet: monitoring then opens on data, not on empty charts.

    Simulated applicants (drifted over the last days), scored by the demo model, written
    with their past times through the prediction log (which registers each scored applicant
    as a client, as `POST /score` does); outcomes drawn from the generator's true risk are
    recorded for the applications old enough to have one."""
    if session.exec(select(func.count()).select_from(Prediction)).one() > 0:
        return None
    now = now or utcnow()
    rng = np.random.default_rng(seed)
    times = _traffic_times(rng, now)
    age_days = np.array([(now - moment) / timedelta(days=1) for moment in times])
    recent = int((age_days <= TRAFFIC_DRIFT_DAYS).sum())
    earlier = simulated_applicants(len(times) - recent, seed, first_id=TRAFFIC_FIRST_ID)
    drifted = simulated_applicants(
        recent, seed + 1, drift=TRAFFIC_DRIFT, first_id=TRAFFIC_FIRST_ID + len(times) - recent
    )
    applicants = pd.concat([earlier.applicants, drifted.applicants], ignore_index=True)
    truth = np.concatenate([earlier.probability, drifted.probability])
    model = scoring.models.get()
    results = model.score_frame(applicants)  # with each applicant's bins, for drift
    channels = rng.choice(list(TRAFFIC_CHANNELS), len(times), p=list(TRAFFIC_CHANNELS.values()))
    failed = (channels != Channel.batch) & (rng.random(len(times)) < TRAFFIC_FAILURE_SHARE)
    latencies = _latencies(rng, channels, failed)
    actors = _traffic_actors(session)
    rows = []
    for n, inputs in enumerate(json_records(applicants)):
        call: dict[str, Any] = {
            "created_at": times[n],
            "channel": channels[n],
            "latency_ms": latencies[n],
            **_actor_fields(actors[Channel(channels[n])]),
        }
        if failed[n]:
            column, mistake = _MISTAKES[rng.integers(len(_MISTAKES))]
            inputs[column] = mistake(inputs.get(column, float("nan")))
            rows.append(
                prediction_row(
                    inputs=inputs,
                    model_version=model.version,
                    status=422,
                    error=INVALID_APPLICANT,
                    **call,
                )
            )
        else:
            rows.append(prediction_row(inputs=inputs, **scored_fields(results[n]), **call))
    scoring.log.write(rows)
    matured = ~failed & (age_days > OUTCOME_AFTER_DAYS)
    defaulted = draw_outcomes(truth, seed)
    delays = rng.uniform(30, OUTCOME_AFTER_DAYS, len(times))
    learnt = [
        outcomes.OutcomeInput(
            str(applicants.at[n, "SK_ID_CURR"]),
            bool(defaulted[n]),
            recorded_at=times[n] + timedelta(days=float(delays[n])),
        )
        for n in np.flatnonzero(matured)
    ]
    recorded = outcomes.record_outcomes(session, actor, learnt) if learnt else 0
    return DemoTraffic(
        predictions=len(rows),
        failures=int(failed.sum()),
        channels=dict(Counter(str(c) for c in channels)),
        outcomes=recorded,
        start=times[0],
        end=times[-1],
    )


def _traffic_times(rng: np.random.Generator, now: datetime) -> list[datetime]:
    """When the applications came, in order: a Poisson count a day, around office hours."""
    start = now - timedelta(days=TRAFFIC_DAYS)
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    moments: list[datetime] = []
    while day < now:
        kind = "weekend" if day.weekday() >= 5 else "weekday"
        hours = np.clip(rng.normal(13.0, 3.0, rng.poisson(TRAFFIC_PER_DAY[kind])), 6.0, 22.0)
        moments.extend(day + timedelta(hours=float(h)) for h in hours)
        day += timedelta(days=1)
    return sorted(m for m in moments if start <= m < now)


def _latencies(rng: np.random.Generator, channels: np.ndarray, failed: np.ndarray) -> list[float]:
    """Log-normal latencies by kind of call; about 1 % of single calls 5 to 30 times slower."""
    median = np.array([_LATENCY[Channel(c)][0] for c in channels])
    sigma = np.array([_LATENCY[Channel(c)][1] for c in channels])
    median[failed], sigma[failed] = _FAILED_LATENCY
    slow = (channels != Channel.batch) & (rng.random(len(channels)) < 0.01)
    factor = np.where(slow, rng.uniform(5, 30, len(channels)), 1.0)
    latency: list[float] = np.round(
        median * np.exp(sigma * rng.normal(size=len(channels))) * factor, 2
    ).tolist()
    return latency


def _traffic_actors(session: Session) -> dict[Channel, Actor]:
    """Who sent each channel's calls: the loan-origination system by API, the demo officer
    on the pages and with batch files."""
    officer = session.exec(
        select(User).where(User.username == DEMO_USERNAMES[Role.officer])
    ).first()
    person = (
        user_actor(officer.id, officer.username, officer.role)
        if officer is not None and officer.id is not None
        else Actor(ActorKind.system, None, "demo", Role.officer)
    )
    system = Actor(ActorKind.api_client, None, TRAFFIC_API_CLIENT, Role.officer)
    return {Channel.api: system, Channel.ui: person, Channel.batch: person}


def _actor_fields(actor: Actor) -> dict[str, Any]:
    return {"actor_kind": actor.kind.value, "actor_id": actor.id, "actor_name": actor.name}
