"""The fairness page's state driven directly, as Reflex calls its handlers: an analyst
gets group aggregates in words; an officer is refused, on the page and on its filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from credit_app.ml import synth
from credit_app.pages.monitoring_fairness import FairnessState
from credit_app.services.container import Services
from credit_app.services.prediction_log import prediction_row
from credit_app.services.values import json_records
from tests.unit.state import test_page_state as base

DECISIONS = 400


def log_decisions(services: Services) -> None:
    frame = synth.generate(DECISIONS, seed=9).drop(columns=["TARGET"])
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
    genders = {row["group"]: row for row in state.gender_rows}
    assert {"Female", "Male"} <= set(genders)
    assert genders["Female"]["verdict"] == "reference"
    assert state.gender_reference.startswith("Reference group: Female")
    assert state.age_band_rows[0]["group"] == "Under 25"
    assert all(row["rate"].count("%") == 3 for row in state.family_status_rows)
    assert state.age_band_chart["data"][0]["x"] and state.age_band_chart["layout"]["shapes"]
    # Aggregates only: no client's identifier in anything the browser receives.
    client_ids = {str(i) for i in synth.generate(DECISIONS, seed=9)["SK_ID_CURR"]}
    shown = str([state.gender_rows, state.age_band_rows, state.family_status_rows])
    assert not any(identifier in shown for identifier in client_ids)
    french = base.page(FairnessState, base.sign_in(app_services, "arthur"), lang="fr")
    base.run(FairnessState.load, french)
    assert {"Femme", "Homme"} <= {row["group"] for row in french.gender_rows}
    assert french.age_band_rows[0]["group"] == "Moins de 25 ans"


def test_an_officer_is_refused_the_fairness_state(app_services: Services) -> None:
    log_decisions(app_services)
    officer = base.page(FairnessState, base.sign_in(app_services, "olivia"))
    base.run(FairnessState.load, officer)
    assert officer.error == "The officer role may not view monitoring."
    assert officer.gender_rows == [] and officer.decisions == "" and officer.age_band_chart == {}
    # The filter's event, called directly as any client could, is refused too.
    base.run(FairnessState.apply, officer, {"range": "24h", "channel": "ui"})
    assert "may not view monitoring" in officer.error and officer.family_status_rows == []
