"""GET /api/v1/monitoring/fairness: approval rate and disparate impact by group, for
machines; analysts and admins only; group aggregates, never an applicant's values."""

from __future__ import annotations

from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.services.values import json_records
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error

PATH = "/api/v1/monitoring/fairness"
SCORED = 300
VERDICTS = {"reference", "ok", "flag_low", "flag_high", "within_noise", "too_few", "not_judged"}


def score_a_batch(world: ApiWorld) -> None:
    """Synthetic applicants scored through the API (one JSON batch), as an officer."""
    rows = json_records(synth.generate(SCORED, seed=8).drop(columns=["TARGET"]))
    response = world.client.post(
        "/api/v1/score/batch", json=rows, headers=world.as_role(Role.officer)
    )
    assert response.status_code == 200 and response.json()["scored"] == SCORED, response.text


def test_fairness_by_group(world: ApiWorld) -> None:
    score_a_batch(world)
    response = world.client.get(PATH, headers=world.as_role(Role.analyst))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decisions"] == SCORED and body["channel"] is None
    assert body["band"] == {"low": 0.8, "high": 1.25} and body["min_decisions"] == 100
    names = [(a["attribute"], a["feature"]) for a in body["attributes"]]
    assert names == [
        ("gender", "CODE_GENDER"),
        ("age_band", "DAYS_BIRTH"),
        ("family_status", "NAME_FAMILY_STATUS"),
    ]
    for attribute in body["attributes"]:
        groups = attribute["groups"]
        assert sum(g["decisions"] for g in groups) == SCORED
        (reference,) = [g for g in groups if g["reference"]]
        assert reference["group"] == attribute["reference_group"]
        assert reference["verdict"] == "reference" and reference["disparate_impact"] == 1.0
        assert reference["disparate_impact_interval"] is None
        assert reference["decisions"] == max(g["decisions"] for g in groups)
        for group in groups:
            assert group["verdict"] in VERDICTS
            low, high = group["approval_rate_interval"].values()
            assert low <= group["approval_rate"] <= high
            assert group["approval_rate"] == group["approvals"] / group["decisions"]
            if group["disparate_impact"] is not None and not group["reference"]:
                ratio = group["disparate_impact_interval"]
                assert ratio["low"] <= group["disparate_impact"] <= ratio["high"]
            if group["decisions"] < body["min_decisions"] and not group["reference"]:
                assert group["verdict"] == "too_few"
    ages = [g["group"] for g in body["attributes"][1]["groups"]]
    assert ages == [band for band in ("<25", "25-39", "40-59", "60+") if band in ages]
    # Group aggregates only: no client's identifier, no applicant's values.
    assert "SK_ID_CURR" not in response.text
    assert {key for a in body["attributes"] for g in a["groups"] for key in g} == {
        "group",
        "decisions",
        "approvals",
        "approval_rate",
        "approval_rate_interval",
        "disparate_impact",
        "disparate_impact_interval",
        "verdict",
        "reference",
    }
    # The batch came through the API channel: the officer pages' channel has nothing.
    ui = world.client.get(PATH, params={"channel": "ui"}, headers=world.as_role(Role.analyst))
    assert ui.json()["decisions"] == 0
    assert all(a["groups"] == [] and a["reference_group"] is None for a in ui.json()["attributes"])


def test_officers_are_refused_admins_are_not(world: ApiWorld) -> None:
    assert_error(world.client.get(PATH, headers=world.as_role(Role.officer)), 403, "forbidden")
    assert world.client.get(PATH, headers=world.as_role(Role.admin)).status_code == 200


def test_the_window_is_checked(world: ApiWorld) -> None:
    analyst = world.as_role(Role.analyst)
    naive = {"from": "2026-11-01T00:00:00", "to": "2026-11-02T00:00:00"}
    assert_error(world.client.get(PATH, params=naive, headers=analyst), 422, "invalid_input")
    backwards = {"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    assert_error(world.client.get(PATH, params=backwards, headers=analyst), 422, "invalid_input")
    too_long = {"from": "2024-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    assert_error(world.client.get(PATH, params=too_long, headers=analyst), 422, "invalid_input")
    bad_channel = world.client.get(PATH, params={"channel": "fax"}, headers=analyst)
    assert bad_channel.status_code == 422
    past = {"from": "2020-11-01T00:00:00Z", "to": "2020-11-02T00:00:00+01:00"}
    body = world.client.get(PATH, params=past, headers=analyst).json()
    assert body["decisions"] == 0 and body["start"].startswith("2020-11-01")
