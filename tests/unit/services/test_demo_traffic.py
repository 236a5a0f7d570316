"""The demo's scoring history: three months of realistic traffic written once, through the
prediction log, with outcomes for the applications old enough to have one."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlmodel import select

from credit_app.db.models import Client, Outcome, Prediction
from credit_app.domain import Role
from credit_app.ml.loader import validate_applicant
from credit_app.services import demo, monitoring_drift
from credit_app.services.actors import system_actor, user_actor
from credit_app.services.container import Services
from credit_app.services.scoring import INVALID_APPLICANT
from credit_app.services.time_windows import Window

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
DEMO = system_actor("demo")
ANALYST = user_actor(1, "ann", Role.analyst)


def _median_credit(rows: list[Prediction]) -> float:
    return float(np.median([r.inputs["AMT_CREDIT"] for r in rows if r.inputs]))


def _drifted(services: Services, start: datetime, end: datetime) -> set[str]:
    with services.session() as session:
        found = monitoring_drift.data_drift(session, ANALYST, Window(start, end), services.models)
    assert found.features.enough_data
    return {row.feature for row in found.features.rows if row.drifted}


def test_three_months_of_traffic_with_outcomes_written_once(model_services: Services) -> None:
    with model_services.session() as session:
        written = demo.ensure_demo_traffic(session, DEMO, model_services.scoring, now=NOW)
    assert written is not None
    with model_services.session() as session:
        rows = list(session.exec(select(Prediction)))
        outcomes = list(session.exec(select(Outcome)))
        clients = {c.id: c for c in session.exec(select(Client))}
    assert written.predictions == len(rows) and 3_500 <= len(rows) <= 4_600

    # Spread over the 90 days, in office hours, more on weekdays.
    at = [r.created_at for r in rows]
    assert NOW - timedelta(days=90) <= min(at) < NOW - timedelta(days=89)
    assert max(at) < NOW and max(at) > NOW - timedelta(days=1)
    per_day = Counter(moment.date() for moment in at)
    assert len(per_day) >= 88
    weekday = [n for day, n in per_day.items() if day.weekday() < 5]
    weekend = [n for day, n in per_day.items() if day.weekday() >= 5]
    assert np.mean(weekday) > 2 * np.mean(weekend)
    assert all(6 <= moment.hour <= 22 for moment in at)

    # Channels mixed about 60 / 30 / 10; a few single calls refused with 422.
    channels = Counter(str(r.channel) for r in rows)
    assert written.channels == dict(channels)
    for channel, share in (("api", 0.6), ("ui", 0.3), ("batch", 0.1)):
        assert abs(channels[channel] / len(rows) - share) < 0.04
    failed = [r for r in rows if r.status != 200]
    assert written.failures == len(failed) and 0.01 <= len(failed) / len(rows) <= 0.05
    for row in failed:
        assert row.status == 422 and row.error == INVALID_APPLICANT and row.decision is None
        assert row.channel != "batch" and row.inputs and validate_applicant(row.inputs)[1]
    scored = [r for r in rows if r.status == 200]
    width = model_services.models.get().layout.width
    assert all(r.decision and r.bins is not None and len(r.bins) == width for r in scored)
    assert all(r.client_id is not None for r in scored)  # registered, as POST /score does
    latency = {c: np.median([r.latency_ms for r in scored if r.channel == c]) for c in channels}
    assert latency["batch"] < 2 < latency["api"] < latency["ui"] < 100

    # Larger loans over the last ten days only, and only ids of the history's own range.
    recent = [r for r in scored if r.created_at >= NOW - timedelta(days=9)]
    before = [r for r in scored if r.created_at < NOW - timedelta(days=11)]
    assert 1.15 < _median_credit(recent) / _median_credit(before) < 1.45
    assert all(c.sk_id_curr and c.sk_id_curr >= demo.TRAFFIC_FIRST_ID for c in clients.values())

    # The drift page shows the shift over the last week, and nothing a month before it.
    assert {"AMT_CREDIT", "AMT_ANNUITY"} <= _drifted(model_services, NOW - timedelta(days=7), NOW)
    assert not _drifted(model_services, NOW - timedelta(days=60), NOW - timedelta(days=30))

    # Outcomes for every scored application older than 45 days, none for younger ones,
    # each learnt after its application and before now.
    applied = {r.client_id: r.created_at for r in scored}
    old = {cid for cid, moment in applied.items() if moment < NOW - timedelta(days=45)}
    assert written.outcomes == len(outcomes) == len(old)
    assert {o.client_id for o in outcomes} == old
    for outcome in outcomes:
        assert applied[outcome.client_id] < outcome.recorded_at <= NOW
    assert 0.03 <= np.mean([o.defaulted for o in outcomes]) <= 0.15

    # Once only: a log with predictions in it is left alone.
    with model_services.session() as session:
        again = demo.ensure_demo_traffic(session, DEMO, model_services.scoring, now=NOW)
        assert again is None
        assert len(list(session.exec(select(Prediction.id)))) == len(rows)
