"""Data drift through the real write path: applicants scored by the scoring service (which
records each one's reference bins), counted per hour into rollups, assessed over windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from credit_app.db.models import DriftRollup, Prediction
from credit_app.domain import Channel, Role
from credit_app.ml import simulation
from credit_app.services import monitoring_drift, monitoring_rollups
from credit_app.services.actors import user_actor
from credit_app.services.container import Services
from credit_app.services.errors import InvalidInput, PermissionDenied
from credit_app.services.time_windows import Window

ANALYST = user_actor(1, "ann", Role.analyst)
OFFICER = user_actor(2, "olivia", Role.officer)
SHIFTED = {"DAYS_ID_PUBLISH": 1.6, "REGION_POPULATION_RELATIVE": 1.7}


def applicants(rows: int, seed: int, factors: dict[str, float] | None = None) -> pd.DataFrame:
    """The generator's applicants (without ids), the factors applied as simulated traffic
    applies them."""
    drift = factors or simulation.NO_DRIFT
    return simulation.simulated_applicants(rows, seed, drift=drift).applicants.drop(
        columns="SK_ID_CURR"
    )


def serve(services: Services, frame: pd.DataFrame, channel: Channel = Channel.api) -> list[str]:
    """Score the applicants as the API does; the ids of their records."""
    records = [{k: v for k, v in r.items() if v == v} for r in frame.to_dict(orient="records")]
    with services.session() as session:
        outcome = services.scoring.score_records(session, OFFICER, records, channel=channel)
    assert not outcome.errors
    return [o.prediction_id for _, o in outcome.results if o.prediction_id]


def move(services: Services, ids: list[str], at: list[datetime]) -> None:
    """Give records the times of a past traffic (the service stamps them with now)."""
    with services.session() as session:
        for prediction_id, moment in zip(ids, at, strict=True):
            session.execute(
                update(Prediction)
                .where(col(Prediction.id) == prediction_id)
                .values(created_at=moment)
            )
        session.commit()


def drifted(services: Services, window: Window) -> set[str]:
    with services.session() as session:
        found = monitoring_drift.data_drift(session, ANALYST, window, services.models)
    assert found.features.enough_data
    return {row.feature for row in found.features.rows if row.drifted}


def test_two_shifted_features_are_flagged_and_no_other(model_services: Services) -> None:
    serve(model_services, applicants(1200, seed=21, factors=SHIFTED))
    assert drifted(model_services, Window.last("24h")) == set(SHIFTED)


def test_a_thousand_unshifted_requests_flag_nothing(model_services: Services) -> None:
    serve(model_services, applicants(1000, seed=22))
    with model_services.session() as session:
        found = monitoring_drift.data_drift(
            session, ANALYST, Window.last("24h"), model_services.models
        )
    assert found.features.n == 1000 and found.score.n == 1000
    assert [row.feature for row in found.features.rows if row.drifted] == []
    assert found.features.drifted_share == 0 and found.features.level == "ok"
    assert not found.score.drifted


def test_rollups_count_what_the_bins_say(model_services: Services) -> None:
    """Hours rolled up, ragged window ends and the hours after the last rollup add up to
    exactly the counts of every record's bins; rolling up twice writes nothing."""
    now = datetime.now(UTC)
    ids = serve(model_services, applicants(300, seed=23))
    ids += serve(model_services, applicants(100, seed=24), channel=Channel.ui)
    start = monitoring_rollups.floor_hour(now) - timedelta(hours=12)
    at = [start + timedelta(minutes=2 * n + 1) for n in range(len(ids))]  # 13 h 20 min
    move(model_services, ids, at)
    model = model_services.models.get()
    with model_services.session() as session:
        written = monitoring_rollups.build_rollups(session, ANALYST, model_services.models, now=now)
        # Each closed hour and channel: its activity and its drift counts.
        assert written == 2 * len(
            {
                (monitoring_rollups.floor_hour(t), i >= 300)
                for i, t in enumerate(at)
                if t < monitoring_rollups.floor_hour(now - monitoring_rollups.GRACE)
            }
        )
        assert (
            monitoring_rollups.build_rollups(session, ANALYST, model_services.models, now=now) == 0
        )
        rollups = session.exec(select(DriftRollup)).all()
        assert sum(r.rows for r in rollups) == sum(
            t < monitoring_rollups.floor_hour(now - monitoring_rollups.GRACE) for t in at
        )
        bins = dict(session.execute(select(Prediction.id, Prediction.bins)).all())

    def expected(begin: datetime, end: datetime, channel: Channel | None = None) -> np.ndarray:
        chosen = [
            bins[i]
            for n, (i, t) in enumerate(zip(ids, at, strict=True))
            if begin <= t < end and (channel is None or (channel == Channel.ui) == (n >= 300))
        ]
        codes = np.frombuffer(b"".join(chosen), dtype=np.uint8).reshape(-1, model.layout.width)
        return model.layout.counts(codes)

    windows = [
        (start - timedelta(minutes=30), now + timedelta(minutes=1), None),
        (start + timedelta(minutes=17), start + timedelta(hours=5, minutes=3), None),
        (start + timedelta(hours=2), start + timedelta(hours=7), Channel.ui),
        (start + timedelta(minutes=5), start + timedelta(minutes=40), Channel.api),
    ]
    for begin, end, channel in windows:
        with model_services.session() as session:
            found = monitoring_rollups.window_counts(session, model, Window(begin, end, channel))
        want = expected(begin, end, channel)
        np.testing.assert_array_equal(found.counts, want)
        assert found.rows == int(want[: model.layout.sizes[0]].sum())
    with model_services.session() as session:
        whole = monitoring_rollups.window_counts(
            session, model, Window(start, start + timedelta(hours=10))
        )
    assert whole.rolled_up_hours >= 10  # whole hours came from rollups, not bins


def test_the_overlaid_distribution_of_a_feature(model_services: Services) -> None:
    serve(model_services, applicants(300, seed=25, factors=SHIFTED))
    with model_services.session() as session:
        found = monitoring_drift.data_drift(
            session, ANALYST, Window.last("24h"), model_services.models
        )
    shown = monitoring_drift.distribution(found.counts, model_services.models, "DAYS_ID_PUBLISH")
    assert shown.kind == "numeric" and shown.n == 300
    assert len(shown.bins) == len(shown.reference) == len(shown.current)
    assert sum(shown.current) + shown.missing_current == pytest.approx(1)
    assert sum(shown.reference) + shown.missing_reference == pytest.approx(1, abs=1e-3)
    category = monitoring_drift.distribution(
        found.counts, model_services.models, "NAME_CONTRACT_TYPE"
    )
    assert category.kind == "categorical" and category.bins[-1] == "unseen"
    with pytest.raises(InvalidInput):
        monitoring_drift.distribution(found.counts, model_services.models, "NOT_A_FEATURE")


def test_an_officer_may_not_read_drift(model_services: Services) -> None:
    with model_services.session() as session, pytest.raises(PermissionDenied):
        monitoring_drift.data_drift(session, OFFICER, Window.last("24h"), model_services.models)
