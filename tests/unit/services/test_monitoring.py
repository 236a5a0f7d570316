"""Service health and decisions over a window of the prediction log (real database, real
small model), and who may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from credit_app.domain import Channel, Role
from credit_app.services import monitoring, monitoring_rollups, time_windows
from credit_app.services.actors import user_actor
from credit_app.services.container import Services
from credit_app.services.errors import InvalidInput, PermissionDenied
from credit_app.services.prediction_log import prediction_row, scored_fields
from tests.unit.services.test_monitoring_drift import applicants

ANALYST = user_actor(1, "ann", Role.analyst)
OFFICER = user_actor(2, "olivia", Role.officer)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def fill(services: Services, rows: int = 600, seed: int = 3) -> list[float]:
    """A day of traffic scored by the real model (bins included, as the scoring service
    records them): API and officer pages, about 5 % failures, one slow request. The
    latencies written."""
    random = np.random.default_rng(seed)
    scored = services.models.get().score_frame(applicants(rows, seed))
    log, latencies = [], []
    for n, result in enumerate(scored):
        failed = n % 20 == 0
        latencies.append(2500.0 if n == 7 else float(random.gamma(4, 3)))
        log.append(
            prediction_row(
                created_at=NOW - timedelta(minutes=2 * n + 1),
                actor_kind="user",
                actor_name="olivia",
                channel="api" if n % 3 else "ui",
                status=422 if failed else 200,
                latency_ms=latencies[-1],
                **({} if failed else scored_fields(result)),
            )
        )
    services.scoring.log.write(log)
    return latencies


def test_service_health_of_a_window(model_services: Services) -> None:
    latencies = fill(model_services)
    window = time_windows.Window.last("24h", now=NOW)
    with model_services.session() as session:
        health = monitoring.service_health(session, ANALYST, window)
    assert health.requests == 600 and health.errors == 30 and health.errors_by_status == {422: 30}
    assert health.error_rate == pytest.approx(0.05)
    # Percentiles read from the latency histogram: within 1 % of the exact ones.
    exact = np.percentile(latencies, [50, 95, 99], method="inverted_cdf")
    assert [health.p50, health.p95, health.p99] == pytest.approx(exact, rel=0.0101)
    assert health.slowest[0][3] == 2500.0  # the slow request comes first, with its id
    slowest = [ms for _, _, _, ms, _ in health.slowest]
    assert len(slowest) == monitoring_rollups.SLOWEST_KEPT and slowest == sorted(slowest)[::-1]
    assert slowest == sorted(latencies)[::-1][: len(slowest)]
    assert sum(total for _, total, _ in health.requests_over_time) == 600
    assert {p.channel for p in health.latency_over_time} == {"api", "ui"}
    # One channel only.
    with model_services.session() as session:
        ui = monitoring.service_health(
            session, ANALYST, time_windows.Window.last("24h", Channel.ui, NOW)
        )
    assert ui.requests == 200
    # The same figures once the hours are rolled up: whole hours from their rollups (the
    # slowest requests and histograms merged), a window's ragged ends from the log.
    ragged = time_windows.Window.between(NOW - timedelta(hours=15, minutes=7), NOW)
    within_an_hour = time_windows.Window.between(NOW - timedelta(minutes=50), NOW)
    windows = (window, ragged, within_an_hour)
    with model_services.session() as session:
        before = [monitoring.service_health(session, ANALYST, w) for w in windows]
        later = NOW + timedelta(hours=1)
        assert monitoring_rollups.build_rollups(session, ANALYST, model_services.models, later)
        after = [monitoring.service_health(session, ANALYST, w) for w in windows]
    assert after == before and before[1].requests == (15 * 60 + 7 + 1) // 2  # one in 2 min
    assert before[2].requests == 25 and len(before[2].slowest) == monitoring_rollups.SLOWEST_KEPT


def test_decisions_and_the_score_against_training(model_services: Services) -> None:
    fill(model_services)
    with model_services.session() as session:
        found = monitoring.decisions(
            session, ANALYST, time_windows.Window.last("24h", now=NOW), model_services.models
        )
    assert found.decisions == 570 and 0 < (found.approval_rate or 0) < 1
    assert sum(found.score_shares) == pytest.approx(1.0)
    assert found.score.n == 570 and found.score.psi > 0 and found.score.psi_critical > 0
    for point in found.approvals:
        assert point.low <= (found.approval_rate or 0) <= point.high


def test_an_empty_window_says_so(model_services: Services) -> None:
    with model_services.session() as session:
        found = monitoring.decisions(
            session, ANALYST, time_windows.Window.last("7d", now=NOW), model_services.models
        )
        health = monitoring.service_health(
            session, ANALYST, time_windows.Window.last("7d", now=NOW)
        )
    assert found.decisions == 0 and found.approval_rate is None
    assert found.score.reason_code == "not_enough_data"
    assert health.requests == 0 and health.error_rate is None and health.p95 is None


def test_officers_may_not_read_monitoring(model_services: Services) -> None:
    window = time_windows.Window.last("24h", now=NOW)
    with model_services.session() as session, pytest.raises(PermissionDenied):
        monitoring.service_health(session, OFFICER, window)
    with model_services.session() as session, pytest.raises(PermissionDenied):
        monitoring.decisions(session, OFFICER, window, model_services.models)


def test_windows_are_checked() -> None:
    with pytest.raises(InvalidInput):
        time_windows.Window.last("2y")
    with pytest.raises(InvalidInput):
        time_windows.Window.between(NOW, NOW - timedelta(days=1))
    with pytest.raises(InvalidInput):
        time_windows.Window.between(NOW - timedelta(days=400), NOW)
    assert time_windows.Window.last("24h", now=NOW).bucket == timedelta(hours=1)
    assert time_windows.Window.last("30d", now=NOW).bucket == timedelta(days=1)
