"""Realised and estimated performance over a window of the prediction log and the recorded
outcomes (real database, real small model): which decision each outcome is paired with,
when there is not enough data to judge, and whether the realised AUC of simulated outcomes
agrees with the AUC their generator implies."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import insert, select

from credit_app.config import load_settings
from credit_app.db.models import Client, Outcome
from credit_app.domain import Channel, Role
from credit_app.ml import performance as pf
from credit_app.ml import synth
from credit_app.services import monitoring_performance as mp
from credit_app.services import monitoring_rollups
from credit_app.services.actors import user_actor
from credit_app.services.container import Services, build_services
from credit_app.services.errors import PermissionDenied
from credit_app.services.prediction_log import prediction_row
from credit_app.services.time_windows import Window

ANALYST = user_actor(1, "ann", Role.analyst)
OFFICER = user_actor(2, "olivia", Role.officer)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
LAST_30_DAYS = Window.last("30d", now=NOW)  # 2026-10-25 12:00 to 2026-11-24 12:00


@pytest.fixture
def app_services(settings_env: dict[str, str], model_dir: Path) -> Iterator[Services]:
    built = build_services(load_settings({**settings_env, "CREDIT_APP_MODEL_DIR": str(model_dir)}))
    yield built
    built.close()


def add_clients(services: Services, count: int, first_id: int = synth.FIRST_ID) -> list[int]:
    """`count` clients (only what the pairing reads: their ids); their internal ids."""
    sk_ids = list(range(first_id, first_id + count))
    with services.session() as session:
        session.execute(
            insert(Client),
            [
                {"sk_id_curr": i, "pseudonym": f"c-{i}", "created_at": NOW, "updated_at": NOW}
                for i in sk_ids
            ],
        )
        rows = session.execute(
            select(Client.id).where(Client.sk_id_curr.in_(sk_ids)).order_by(Client.sk_id_curr)
        )
        ids = [int(r[0]) for r in rows]
        session.commit()
    return ids


def decision(
    services: Services,
    client: int | None,
    at: datetime,
    probability: float,
    *,
    channel: str = "api",
    failed: bool = False,
) -> dict[str, Any]:
    """A row of the prediction log: the model's decision on `client` at `at`, or a failure."""
    return prediction_row(
        created_at=at,
        client_id=client,
        actor_kind="user",
        actor_name="olivia",
        channel=channel,
        status=422 if failed else 200,
        latency_ms=5.0,
        probability=None if failed else probability,
        decision=None if failed else services.models.get().decide(probability),
    )


def predict(
    services: Services,
    client: int | None,
    days_ago: float,
    probability: float = 0.1,
    *,
    channel: str = "api",
    failed: bool = False,
) -> None:
    at = NOW - timedelta(days=days_ago)
    services.scoring.log.write(
        [decision(services, client, at, probability, channel=channel, failed=failed)]
    )


def record(services: Services, outcomes: Sequence[tuple[int, bool, datetime]]) -> None:
    with services.session() as session:
        session.execute(
            insert(Outcome),
            [
                {"client_id": c, "defaulted": d, "recorded_at": at, "recorded_by": "test"}
                for c, d, at in outcomes
            ],
        )
        session.commit()


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_each_clients_latest_outcome_goes_with_the_decision_acted_on(
    app_services: Services,
) -> None:
    a, b, c, d, e, f = add_clients(app_services, 6)
    # a: scored twice, then an early outcome, the latest outcome, and a new application.
    predict(app_services, a, 20, 0.05)
    predict(app_services, a, 10, 0.2)
    predict(app_services, a, 2, 0.3)  # after the outcome: awaiting its own
    record(app_services, [(a, False, days_ago(15)), (a, True, days_ago(5))])
    # b: in October, from the officer pages.
    predict(app_services, b, 28, 0.1, channel="ui")
    record(app_services, [(b, False, days_ago(1))])
    # c: no outcome yet. d: decided before the window.
    predict(app_services, c, 3)
    predict(app_services, d, 40)
    record(app_services, [(d, True, days_ago(1))])
    # e: a failed call after the decision is not a decision.
    predict(app_services, e, 8, 0.15)
    predict(app_services, e, 6, failed=True)
    record(app_services, [(e, False, days_ago(4))])
    # f: the outcome came before the only decision: that decision awaits its own.
    record(app_services, [(f, True, days_ago(7))])
    predict(app_services, f, 6)
    predict(app_services, None, 5)  # a new applicant, not a client: estimated only

    with app_services.session() as session:
        found = mp.performance(session, ANALYST, LAST_30_DAYS, app_services.models)
    by_month = {m.month: m for m in found.months}
    assert list(by_month) == ["2026-10", "2026-11"]
    assert (by_month["2026-10"].n, by_month["2026-10"].defaults) == (1, 0)
    assert (by_month["2026-11"].n, by_month["2026-11"].defaults) == (2, 1)  # a (0.2), e
    assert (by_month["2026-10"].awaiting, by_month["2026-11"].awaiting) == (0, 3)  # a, c, f
    overall = found.overall
    assert (overall.month, overall.n, overall.defaults, overall.awaiting) == (None, 3, 1, 3)
    assert not overall.enough_data and overall.realised is None
    # Every successful prediction of the window is estimated: a x3, b, c, e, f, the new one.
    assert found.estimated_overall.predictions == 8
    assert sum(point.predictions for point in found.estimated) == 8
    assert sum(point.outcomes for point in found.estimated) == 3
    assert found.estimate_step == "week"
    assert all(point.start.weekday() == 0 and point.start.hour == 0 for point in found.estimated)
    assert (found.card_auc, found.min_defaults) == (
        app_services.models.get().card.metrics.auc,
        pf.MIN_DEFAULTS,
    )

    # One channel: only b's decision was made on the officer pages.
    with app_services.session() as session:
        ui = mp.performance(
            session, ANALYST, Window.last("30d", Channel.ui, NOW), app_services.models
        )
    assert [(m.month, m.n, m.awaiting) for m in ui.months] == [("2026-10", 1, 0)]
    assert ui.estimated_overall.predictions == 1
    # A short window: estimates by day, and only what falls in it.
    with app_services.session() as session:
        day = mp.performance(
            session, ANALYST, Window.between(days_ago(2), NOW), app_services.models
        )
    assert day.estimate_step == "day" and day.overall.n == 0
    assert day.overall.awaiting == 1 and day.estimated_overall.predictions == 1


def month_of_outcomes(
    services: Services, defaults: int, good: int, first_id: int = synth.FIRST_ID
) -> None:
    """`defaults` + `good` decisions this month, each with its outcome recorded now."""
    ids = add_clients(services, defaults + good, first_id)
    rng = np.random.default_rng(0)
    rows = []
    for n, client in enumerate(ids):
        probability = float(rng.beta(2, 8))
        rows.append((client, n < defaults, probability))
        predict(services, client, 1 + n / len(ids), probability)
    record(services, [(client, defaulted, NOW) for client, defaulted, _ in rows])


@pytest.mark.parametrize(("defaults", "enough"), [(29, False), (30, True)])
def test_below_the_minimum_of_defaults_there_is_not_enough_data(
    app_services: Services, defaults: int, enough: bool
) -> None:
    month_of_outcomes(app_services, defaults, 70)
    with app_services.session() as session:
        found = mp.performance(session, ANALYST, LAST_30_DAYS, app_services.models)
    (month,) = found.months
    assert (month.n, month.defaults, month.enough_data) == (70 + defaults, defaults, enough)
    assert found.overall.enough_data is enough
    if not enough:
        assert month.realised is None and found.overall.realised is None
        return
    realised = month.realised
    assert realised is not None
    assert realised.auc.lower <= realised.auc.auc <= realised.auc.upper
    assert 0 <= realised.ks <= 1 and len(realised.calibration) == 10
    counts = realised.confusion
    assert counts.tp + counts.fp + counts.tn + counts.fn == month.n
    costs = app_services.models.get().card.costs
    assert realised.cost_per_applicant == pytest.approx(
        (costs.fn * counts.fn + costs.fp * counts.fp) / month.n
    )
    # Outcomes unrelated to the scores: an AUC near 0.5, far below the card's, and flagged.
    assert realised.below_card_p < mp.BELOW_CARD_ALPHA and realised.below_card


def test_officers_may_not_read_performance(app_services: Services) -> None:
    with app_services.session() as session, pytest.raises(PermissionDenied):
        mp.performance(session, OFFICER, LAST_30_DAYS, app_services.models)


APPLICANTS = 4000


def test_realised_auc_of_simulated_outcomes_covers_the_auc_their_generator_implies(
    app_services: Services,
) -> None:
    """Applicants from the generator, scored by the model, default with the generator's own
    risk: the AUC the model should realise on them (each pair of a default and a good payer
    weighted by how likely it is) falls inside the realised AUC's 95 % interval."""
    frame, risk = synth.generate_with_risk(APPLICANTS, seed=31, first_id=500_000)
    model = app_services.models.get()
    scores = model.predict_frame(frame.drop(columns=[synth.TARGET_COLUMN]))
    defaulted = np.random.default_rng(32).random(APPLICANTS) < risk
    ids = add_clients(app_services, APPLICANTS, first_id=500_000)
    # Spread over the 30 days (two calendar months), outcomes recorded since.
    ages = np.linspace(29.5, 0.5, APPLICANTS)
    app_services.scoring.log.write(
        [
            decision(app_services, client, days_ago(float(age)), float(score))
            for client, age, score in zip(ids, ages, scores, strict=True)
        ]
    )
    record(
        app_services,
        [(c, bool(d), NOW) for c, d in zip(ids, defaulted, strict=True)],
    )
    with app_services.session() as session:
        found = mp.performance(session, ANALYST, LAST_30_DAYS, app_services.models)

    implied = pf.expected_auc(risk, scores).auc
    realised = found.overall.realised
    assert realised is not None and found.overall.n == APPLICANTS
    assert found.overall.defaults == int(defaulted.sum())
    assert realised.auc.lower <= implied <= realised.auc.upper, (implied, realised.auc)
    assert realised.auc.upper - realised.auc.lower < 0.1  # a meaningful interval
    assert [m.month for m in found.months] == ["2026-10", "2026-11"]
    assert all(m.enough_data for m in found.months)
    # Before outcomes: the model's own probabilities give an estimate for the whole window.
    estimate = found.estimated_overall
    assert estimate.enough_data and estimate.expected_auc is not None
    assert estimate.expected_default_rate == pytest.approx(float(scores.mean()))
    assert estimate.realised_auc is not None
    assert estimate.realised_auc.auc == pytest.approx(realised.auc.auc)


def test_estimates_come_from_the_hourly_rollups_as_from_the_log(app_services: Services) -> None:
    """Expected default rate and AUC per day and over the window: the same whether whole
    hours come from their rollups or from the log, and those of the logged probabilities
    themselves (the rate exactly, the AUC within 0.0002)."""
    probabilities = np.asarray(1 / (1 + np.exp(2.6 - np.random.default_rng(41).normal(size=3000))))
    at = [NOW - timedelta(minutes=2 * n + 1) for n in range(probabilities.size)]  # ~4 days
    rows = [
        decision(app_services, None, t, float(p)) for t, p in zip(at, probabilities, strict=True)
    ]
    rows += [decision(app_services, None, at[n], 0.5, failed=True) for n in range(0, 3000, 50)]
    app_services.scoring.log.write(rows)
    window = Window.between(NOW - timedelta(days=1, hours=3, minutes=10), NOW)  # ragged
    in_window = np.array([t >= window.start for t in at])
    with app_services.session() as session:
        before = mp.performance(session, ANALYST, window, app_services.models)
        later = NOW + timedelta(hours=2)
        assert monitoring_rollups.build_rollups(session, ANALYST, app_services.models, later)
        after = mp.performance(session, ANALYST, window, app_services.models)
    assert after.estimated == before.estimated
    assert after.estimated_overall == before.estimated_overall
    overall = after.estimated_overall
    assert overall.predictions == int(in_window.sum())
    assert overall.expected_default_rate == pytest.approx(probabilities[in_window].mean())
    exact = pf.expected_auc(probabilities[in_window])
    assert overall.expected_auc is not None
    assert overall.expected_auc.auc == pytest.approx(exact.auc, abs=2e-4)
    assert overall.expected_auc.se == pytest.approx(exact.se, rel=0.01)
    assert after.estimate_step == "day" and len(after.estimated) == 2
    assert sum(point.predictions for point in after.estimated) == overall.predictions
