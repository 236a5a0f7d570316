"""The drift and overview pages' states driven directly, as Reflex calls their handlers: an
analyst reads them, opens a feature, sorts and downloads; an officer is refused on load and
on every handler called directly."""

from __future__ import annotations

from typing import Any

from credit_app.pages.monitoring_drift import DriftState
from credit_app.pages.monitoring_overview import OverviewState
from credit_app.services.container import Services
from tests.unit.services.test_monitoring_drift import SHIFTED, applicants, serve
from tests.unit.state.test_page_state import page, run, sign_in


def _download(result: Any) -> str:
    """The data: URL a download handler hands to the browser."""
    return str(result)


def test_an_analyst_reads_the_drift_page(app_services: Services) -> None:
    serve(app_services, applicants(600, seed=61, factors=SHIFTED))
    state = page(DriftState, sign_in(app_services, "arthur"))
    run(DriftState.load, state)
    assert state.error == "" and state.predictions == "600" and state.level in ("watch", "act")
    flagged = {
        row["feature"] for row in state.tables["features"] if row["level"] in ("watch", "act")
    }
    assert flagged == set(SHIFTED)
    assert (
        state.selected == state.tables["features"][0]["feature"]
        and state.distribution_chart["data"]
    )
    run(DriftState.select, state, "NAME_CONTRACT_TYPE")
    assert state.selected == "NAME_CONTRACT_TYPE"
    run(DriftState.sort_table, state, "features", "psi")
    run(DriftState.sort_table, state, "features", "psi")
    values = [row["sort"]["psi"] for row in state.tables["features"]]
    assert state.sort_descending["features"] and values == sorted(values, reverse=True)
    assert "text/csv" in _download(run(DriftState.download_csv, state))
    assert "text/html" in _download(run(DriftState.download_report, state))


def test_an_officer_is_refused_drift_and_overview(app_services: Services) -> None:
    serve(app_services, applicants(300, seed=62))
    token = sign_in(app_services, "olivia")
    drift = page(DriftState, token)
    run(DriftState.load, drift)
    assert (
        drift.error == "The officer role may not view monitoring."
        and drift.tables["features"] == []
    )
    for handler, args in (
        (DriftState.select, ("AMT_CREDIT",)),
        (DriftState.sort_table, ("features", "psi")),
        (DriftState.download_csv, ()),
        (DriftState.download_report, ()),
        (DriftState.apply, ({"range": "30d"},)),
    ):
        drift.error = ""
        assert run(handler, drift, *args) is None
        assert "may not view monitoring" in drift.error and drift.distribution_chart == {}
    overview = page(OverviewState, token)
    run(OverviewState.load, overview)
    assert "may not view monitoring" in overview.error and overview.signals == []
    overview.error = ""
    run(OverviewState.apply, overview, {"range": "24h"})
    assert "may not view monitoring" in overview.error and overview.signals == []


def test_the_overview_in_french(app_services: Services) -> None:
    serve(app_services, applicants(300, seed=63))
    state = page(OverviewState, sign_in(app_services, "arthur"), lang="fr")
    run(OverviewState.load, state)
    assert state.error == "" and len(state.signals) == 7
    assert state.signals[0]["title"] == "Stabilité du score" and state.headline
