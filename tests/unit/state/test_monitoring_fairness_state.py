"""The fairness page's state driven directly, as Reflex calls its handlers: an analyst
gets group aggregates in words and sorts each attribute's table on its own; an officer is
refused, on the page, on its filter and on sorting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from credit_app.ml import synth
from credit_app.pages.monitoring_fairness import FairnessState
from credit_app.services.container import Services
from credit_app.services.prediction_log import prediction_row
from credit_app.services.values import json_records
from tests.unit.state import test_page_state as base

DECISIONS = 400


def log_decisions(services: Services, family_status_missing_every: int = 0) -> None:
    """Decisions over the last hours, about 70 % approvals; every nth applicant without a
    family status if asked."""
    frame = synth.generate(DECISIONS, seed=9).drop(columns=["TARGET"])
    if family_status_missing_every:
        frame.loc[::family_status_missing_every, "NAME_FAMILY_STATUS"] = None
    approved = np.random.default_rng(9).random(DECISIONS) < 0.7
    now = datetime.now(UTC)
    services.scoring.log.write(
        [
            prediction_row(
                created_at=now - timedelta(minutes=n + 1),
                actor_kind="user",
                actor_name="olivia",
                channel="ui",
                inputs=inputs,
                probability=0.1 if yes else 0.5,
                decision="approve" if yes else "refuse",
                latency_ms=10.0,
            )
            for n, (inputs, yes) in enumerate(zip(json_records(frame), approved, strict=True))
        ]
    )


def test_an_analyst_reads_fairness_in_words(app_services: Services) -> None:
    log_decisions(app_services)
    state = base.page(FairnessState, base.sign_in(app_services, "arthur"))
    base.run(FairnessState.load, state)
    assert state.error == "" and state.decisions == f"{DECISIONS}"
    genders = {row["group"]: row for row in state.tables["gender"]}
    assert {"Female", "Male"} <= set(genders)
    assert genders["Female"]["verdict"] == "reference"
    assert state.gender_reference.startswith("Reference group: Female")
    assert state.tables["age_band"][0]["group"] == "Under 25"
    assert all(row["rate"].count("%") == 3 for row in state.tables["family_status"])
    assert state.age_band_chart["data"][0]["x"] and state.age_band_chart["layout"]["shapes"]
    # The charts show the groups in the tables' first order (ages by age, others by name).
    for name in ("gender", "age_band", "family_status"):
        charted = getattr(state, f"{name}_chart")["data"][0]["x"]
        assert charted == [row["group"] for row in state.tables[name] if row["group"] in charted]
    # Aggregates only: no client's identifier in anything the browser receives.
    client_ids = {str(i) for i in synth.generate(DECISIONS, seed=9)["SK_ID_CURR"]}
    shown = str([state.tables["gender"], state.tables["age_band"], state.tables["family_status"]])
    assert not any(identifier in shown for identifier in client_ids)
    french = base.page(FairnessState, base.sign_in(app_services, "arthur"), lang="fr")
    base.run(FairnessState.load, french)
    assert {"Femme", "Homme"} <= {row["group"] for row in french.tables["gender"]}
    assert french.tables["age_band"][0]["group"] == "Moins de 25 ans"


def test_an_officer_is_refused_the_fairness_state(app_services: Services) -> None:
    log_decisions(app_services)
    officer = base.page(FairnessState, base.sign_in(app_services, "olivia"))
    base.run(FairnessState.load, officer)
    assert officer.error == "The officer role may not view monitoring."
    assert (
        officer.tables["gender"] == [] and officer.decisions == "" and officer.age_band_chart == {}
    )
    # The filter's event, called directly as any client could, is refused too.
    base.run(FairnessState.apply, officer, {"range": "24h", "channel": "ui"})
    assert "may not view monitoring" in officer.error and officer.tables["family_status"] == []


def _values(state: Any, table: str, column: str) -> list[Any]:
    return [row["sort"][column] for row in state.tables[table]]


def _in_order(values: list[Any], descending: bool) -> bool:
    """Values sorted in that direction, the missing ones (None) after all the others."""
    measured = [v for v in values if v is not None]
    return values == sorted(measured, reverse=descending) + [None] * (len(values) - len(measured))


def test_an_analyst_sorts_each_attribute_alone(app_services: Services) -> None:
    log_decisions(app_services, family_status_missing_every=10)
    state = base.page(FairnessState, base.sign_in(app_services, "arthur"))
    base.run(FairnessState.load, state)
    assert state.error == ""
    # First order: by group, ages by age, other groups by name, "not given" last.
    ages = [row["group"] for row in state.tables["age_band"]]
    assert ages == ["Under 25", "25 to 39", "40 to 59", "60 and over"]
    families = [row["group"] for row in state.tables["family_status"]]
    assert families[-1] == "Not given" and families[:-1] == sorted(families[:-1])
    assert _values(state, "family_status", "group")[-1] is None
    untouched = {name: state.tables[name] for name in ("age_band", "family_status")}

    # Decisions, fewest then (a second click) most; the other tables keep their order.
    base.run(FairnessState.sort_table, state, "gender", "decisions")
    assert [row["group"] for row in state.tables["gender"]] == ["Male", "Female"]
    base.run(FairnessState.sort_table, state, "gender", "decisions")
    assert [row["group"] for row in state.tables["gender"]] == ["Female", "Male"]
    assert state.sort_columns == {
        "gender": "decisions",
        "age_band": "group",
        "family_status": "group",
    }
    assert state.sort_descending == {"gender": True, "age_band": False, "family_status": False}
    assert {name: state.tables[name] for name in untouched} == untouched

    # On the numbers, not their texts; "not given" and the groups with no verdict stay last
    # whichever the direction.
    for column in ("group", "rate", "ratio", "verdict", "decisions"):
        for descending in (False, True):
            base.run(FairnessState.sort_table, state, "family_status", column)
            if state.sort_descending["family_status"] != descending:
                base.run(FairnessState.sort_table, state, "family_status", column)
            assert _in_order(_values(state, "family_status", column), descending), column
    base.run(FairnessState.sort_table, state, "family_status", "group")
    assert state.tables["family_status"][-1]["group"] == "Not given"  # descending too
    base.run(FairnessState.sort_table, state, "family_status", "verdict")
    verdicts = [row["verdict"] for row in state.tables["family_status"]]
    assert verdicts[0] == "reference" and set(verdicts[1:]) <= {"too_few", "not_judged"}
    base.run(FairnessState.sort_table, state, "age_band", "rate")
    rates = _values(state, "age_band", "rate")
    assert rates == sorted(rates) and len(set(rates)) == 4

    # An attribute or a column that does not exist changes nothing.
    before = (state.tables, state.sort_columns, state.sort_descending)
    for attribute, column in (("income", "rate"), ("gender", "verdict_text"), ("gender", None)):
        base.run(FairnessState.sort_table, state, attribute, column)
    assert (state.tables, state.sort_columns, state.sort_descending) == before


def test_an_officer_may_not_sort_fairness_tables(app_services: Services) -> None:
    log_decisions(app_services)
    officer = base.page(FairnessState, base.sign_in(app_services, "olivia"))
    base.run(FairnessState.sort_table, officer, "gender", "decisions")
    assert "may not view monitoring" in officer.error
    assert officer.sort_columns["gender"] == "group" and officer.tables["gender"] == []
