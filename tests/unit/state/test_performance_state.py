"""The performance page's state driven directly, as Reflex calls its handlers: an analyst
reads the figures and sorts the table by month and the calibration table; an officer is
refused, on load and when calling the handlers directly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from sqlalchemy import select

from credit_app.config import load_settings
from credit_app.db.models import Client
from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.pages.monitoring_performance import PerformanceState
from credit_app.services import clients, users
from credit_app.services.actors import SYSTEM
from credit_app.services.container import Services, build_services, use_services
from tests.unit.services.test_monitoring_performance import decision, record
from tests.unit.state.test_page_state import PASSWORD, page, run, sign_in

CLIENTS = 90


@pytest.fixture
def decided(settings_env: dict[str, str], model_dir: Path) -> Iterator[Services]:
    """Users of each role, and clients decided over the last days whose outcomes came since:
    one in three defaulted."""
    built = build_services(load_settings({**settings_env, "CREDIT_APP_MODEL_DIR": str(model_dir)}))
    now = datetime.now(UTC)
    frame = synth.generate(CLIENTS, seed=8).drop(columns=[synth.TARGET_COLUMN])
    model = built.models.get()
    scores = model.predict_frame(frame).tolist()
    with built.session() as session:
        clients.import_clients(session, SYSTEM, frame, secret="s" * 40)
        for name, role in (("olivia", Role.officer), ("arthur", Role.analyst)):
            users.create_user(session, SYSTEM, username=name, password=PASSWORD, role=role)
        ids = [int(i) for i in session.execute(select(Client.id).order_by(Client.id)).scalars()]
    built.scoring.log.write(
        [
            decision(built, client, now - timedelta(days=1 + n / CLIENTS), score, channel="ui")
            for n, (client, score) in enumerate(zip(ids, scores, strict=True))
        ]
    )
    record(built, [(client, n % 3 == 0, now) for n, client in enumerate(ids)])
    with use_services(built):
        yield built
    built.close()


def test_an_analyst_reads_the_performance_and_sorts_the_months(decided: Services) -> None:
    state = page(PerformanceState, sign_in(decided, "arthur"))
    run(PerformanceState.load, state)
    assert state.error == "" and state.with_outcome == str(CLIENTS) and state.defaults == "30"
    assert state.verdict_level in ("ok", "act") and "model card" in state.verdict
    (month,) = state.tables["months"]
    assert month["enough"] and month["n"] == str(CLIENTS) and month["sort"]["month"]
    assert state.overall["month"] == "All months" and state.overall["auc"] == month["auc"]
    assert len(state.tables["calibration"]) == 10 and state.calibration_chart["data"]
    assert all(
        row["verdict"].split(":")[0] in ("Green", "Amber", "Red")
        for row in state.tables["calibration"]
    )
    assert state.auc_chart["data"][1]["y"]  # the realised month, against the card's line
    assert state.estimates_overall["period"] == "Whole window" and state.estimate_step == "week"
    weeks = state.tables["estimates"]
    assert weeks and sum(int(w["predictions"].replace(",", "")) for w in weeks) == int(
        state.estimates_overall["predictions"].replace(",", "")
    )
    run(PerformanceState.sort_table, state, "estimates", "period")
    assert [w["sort"]["period"] for w in state.tables["estimates"]] == sorted(
        (w["sort"]["period"] for w in weeks), reverse=True
    )
    # Sorting: one month sorts as itself; the order flips on a second click.
    run(PerformanceState.sort_table, state, "months", "auc")
    assert (state.sort_columns["months"], state.sort_descending["months"]) == ("auc", False)
    run(PerformanceState.sort_table, state, "months", "auc")
    assert state.sort_descending["months"] is True and len(state.tables["months"]) == 1
    run(PerformanceState.sort_table, state, "months", "no such column")
    assert state.sort_columns["months"] == "auc"


def test_an_analyst_sorts_the_calibration_table(decided: Services) -> None:
    state = page(PerformanceState, sign_in(decided, "arthur"))
    run(PerformanceState.load, state)
    deciles = [row["decile"] for row in state.tables["calibration"]]
    assert deciles == [str(n) for n in range(1, 11)]  # first order: by decile
    assert state.sort_columns["calibration"] == "decile"
    months = state.tables["months"]
    # The observed rate as a number: "10.0%" would sort before "9.0%" as a text.
    run(PerformanceState.sort_table, state, "calibration", "observed")
    observed = [row["sort"]["observed"] for row in state.tables["calibration"]]
    assert observed == sorted(observed) and state.sort_descending["calibration"] is False
    run(PerformanceState.sort_table, state, "calibration", "observed")
    assert [row["sort"]["observed"] for row in state.tables["calibration"]] == sorted(
        observed, reverse=True
    )
    # The decile number, not its text ("10" before "2").
    run(PerformanceState.sort_table, state, "calibration", "decile")
    run(PerformanceState.sort_table, state, "calibration", "decile")
    assert [row["decile"] for row in state.tables["calibration"]] == deciles[::-1]
    # The light, from green to red.
    run(PerformanceState.sort_table, state, "calibration", "light")
    lights = [row["light"] for row in state.tables["calibration"]]
    assert lights == sorted(lights, key=["green", "amber", "red"].index)
    # The table by month and its order are left alone.
    assert state.tables["months"] == months and state.sort_columns["months"] == "month"


def test_the_page_speaks_french(decided: Services) -> None:
    state = page(PerformanceState, sign_in(decided, "arthur"), lang="fr")
    run(PerformanceState.load, state)
    assert state.overall["month"] == "Tous les mois"
    assert "fiche du modèle" in state.verdict
    year, month = state.tables["months"][0]["sort"]["month"].split("-")
    expected = format_date(datetime(int(year), int(month), 1), "LLLL y", locale="fr_FR")
    assert state.tables["months"][0]["month"] == expected  # "novembre 2026"


def test_an_officer_is_refused(decided: Services) -> None:
    officer = page(PerformanceState, sign_in(decided, "olivia"))
    run(PerformanceState.load, officer)
    assert officer.error == "The officer role may not view monitoring."
    assert officer.tables["months"] == [] and officer.overall == {} and officer.auc_chart == {}
    # The page's handlers, called directly as any client could, are refused too.
    run(PerformanceState.apply, officer, {"range": "30d", "channel": "api"})
    assert "may not view monitoring" in officer.error and officer.tables["months"] == []
    officer.error = ""
    run(PerformanceState.sort_table, officer, "months", "n")
    assert "may not view monitoring" in officer.error
    officer.error = ""
    run(PerformanceState.sort_table, officer, "calibration", "observed")
    assert "may not view monitoring" in officer.error
    assert officer.sort_columns["calibration"] == "decile"


def test_sorting_keeps_unmeasured_months_last() -> None:
    from credit_app.state.sorting import next_order, sorted_rows

    rows = [
        {"id": "a", "sort": {"auc": 0.7}},
        {"id": "b", "sort": {"auc": None}},
        {"id": "c", "sort": {"auc": 0.8}},
    ]
    assert [r["id"] for r in sorted_rows(rows, "auc", False)] == ["a", "c", "b"]
    assert [r["id"] for r in sorted_rows(rows, "auc", True)] == ["c", "a", "b"]
    assert next_order("auc", "auc", False) is True and next_order("n", "auc", True) is False
