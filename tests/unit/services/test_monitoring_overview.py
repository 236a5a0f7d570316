"""The overview: each signal's level and reason from the same figures as its page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from credit_app import routes
from credit_app.services import monitoring_overview
from credit_app.services.container import Services
from credit_app.services.errors import PermissionDenied
from credit_app.services.time_windows import Window
from tests.unit.services.test_monitoring import ANALYST, NOW, OFFICER, fill
from tests.unit.services.test_monitoring_drift import SHIFTED, applicants, serve


def signals(found: monitoring_overview.Overview) -> dict[str, monitoring_overview.Signal]:
    return {signal.name: signal for signal in found.signals}


def test_failures_beyond_noise_are_flagged_and_missing_data_is_not_green(
    model_services: Services,
) -> None:
    fill(model_services)  # 600 calls in a day, one in twenty failed, no outcomes yet
    with model_services.session() as session:
        found = monitoring_overview.overview(
            session, ANALYST, Window.last("24h", now=NOW), model_services.models
        )
    by_name = signals(found)
    assert list(by_name) == [
        "score",
        "drift",
        "discrimination",
        "calibration",
        "approval",
        "errors",
        "latency",
    ]
    errors = by_name["errors"]
    assert errors.level == "watch" and errors.params["low"] > monitoring_overview.ERROR_WATCH
    assert errors.link == routes.MONITORING_SERVICE
    assert by_name["latency"].level == "ok"
    assert by_name["drift"].level == "ok"  # the generator's applicants, as in training
    # No outcome has matured: no verdict on calibration, and not a green light.
    assert by_name["calibration"].level == "none"
    assert found.level == max(
        (s.level for s in found.signals), key=monitoring_overview.ORDER.__getitem__
    )


def test_drifted_traffic_is_the_headline(model_services: Services) -> None:
    serve(model_services, applicants(1200, seed=51, factors=SHIFTED))
    with model_services.session() as session:
        found = monitoring_overview.overview(
            session, ANALYST, Window.last("24h"), model_services.models
        )
    drift = signals(found)["drift"]
    assert drift.level in {"watch", "act"} and set(drift.params["top"]) == set(SHIFTED)
    assert found.level in {"watch", "act"}


def test_an_officer_may_not_read_the_overview(model_services: Services) -> None:
    window = Window.last("24h", now=datetime.now(UTC))
    with model_services.session() as session, pytest.raises(PermissionDenied):
        monitoring_overview.overview(session, OFFICER, window, model_services.models)
