"""GET /api/v1/monitoring/performance: realised performance by application month and the
estimates before outcomes, for machines (analysts and admins)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from credit_app.domain import Role
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error

PATH = "/api/v1/monitoring/performance"


def score_and_record(world: ApiWorld, every: int = 3) -> int:
    """Score every client (an officer), then record their outcomes (an analyst): every
    `every`-th client defaulted. Returns the number of defaults."""
    officer, analyst = world.as_role(Role.officer), world.as_role(Role.analyst)
    for sk_id in world.sk_ids:
        scored = world.client.post(f"/api/v1/clients/{sk_id}/score", headers=officer)
        assert scored.status_code == 200, scored.text
    outcomes = [
        {"client": str(sk_id), "defaulted": n % every == 0} for n, sk_id in enumerate(world.sk_ids)
    ]
    recorded = world.client.post("/api/v1/outcomes", json={"outcomes": outcomes}, headers=analyst)
    assert recorded.status_code == 201, recorded.text
    return sum(o["defaulted"] for o in outcomes)


def test_performance_of_recorded_outcomes(world: ApiWorld) -> None:
    defaults = score_and_record(world)
    response = world.client.get(PATH, headers=world.as_role(Role.analyst))
    assert response.status_code == 200, response.text
    body = response.json()
    card = world.services.models.get().card
    assert body["card_auc"] == card.metrics.auc and body["threshold"] == card.threshold
    assert (body["cost_fn"], body["cost_fp"], body["min_defaults"]) == (
        card.costs.fn,
        card.costs.fp,
        30,
    )
    overall = body["overall"]
    assert overall["month"] is None and overall["awaiting"] == 0
    assert (overall["n"], overall["defaults"]) == (len(world.sk_ids), defaults)
    assert overall["enough_data"] is True
    realised = overall["realised"]
    assert realised["auc"]["lower"] <= realised["auc"]["auc"] <= realised["auc"]["upper"]
    assert realised["below_card"] == (realised["below_card_p"] < 0.01)
    assert sum(realised["confusion"].values()) == overall["n"]
    assert realised["cost_per_applicant"] >= 0 and 0 <= realised["ks"] <= 1
    assert len(realised["calibration"]) == 10
    assert {b["light"] for b in realised["calibration"]} <= {"green", "amber", "red"}
    (month,) = body["months"]
    assert month["month"] == datetime.now(UTC).strftime("%Y-%m")
    assert month["realised"]["auc"] == realised["auc"]
    assert body["estimate_step"] == "week"
    estimate = body["estimated_overall"]
    assert estimate["predictions"] == len(world.sk_ids) and estimate["outcomes"] == overall["n"]
    assert 0 < estimate["expected_default_rate"] < 1
    assert estimate["realised_auc"] == realised["auc"]
    assert sum(point["predictions"] for point in body["estimated"]) == len(world.sk_ids)
    # The assumption behind the estimates is said in the API's own documentation.
    schema = world.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert (
        "calibrated probabilities"
        in schema["EstimatedOut"]["properties"]["expected_auc"]["description"]
    )


def test_without_outcomes_there_is_not_enough_data(world: ApiWorld) -> None:
    officer = world.as_role(Role.officer)
    for sk_id in world.sk_ids[:10]:
        assert world.client.post(f"/api/v1/clients/{sk_id}/score", headers=officer).is_success
    body = world.client.get(PATH, headers=world.as_role(Role.admin)).json()
    # The outcomes imported with the clients came before these decisions: they await theirs.
    assert (body["overall"]["n"], body["overall"]["awaiting"]) == (0, 10)
    assert body["overall"]["enough_data"] is False and body["overall"]["realised"] is None
    assert body["estimated_overall"]["predictions"] == 10
    assert body["estimated_overall"]["expected_auc"] is None  # too few expected defaults


def test_officers_are_refused(world: ApiWorld) -> None:
    response = world.client.get(PATH, headers=world.as_role(Role.officer))
    error = assert_error(response, 403, "forbidden")
    assert set(response.json()) == {"error"} and error["details"] == []


def test_performance_windows_are_checked(world: ApiWorld) -> None:
    analyst = world.as_role(Role.analyst)
    naive = {"from": "2026-11-01T00:00:00", "to": "2026-11-02T00:00:00"}
    assert_error(world.client.get(PATH, params=naive, headers=analyst), 422, "invalid_input")
    backwards = {"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    assert_error(world.client.get(PATH, params=backwards, headers=analyst), 422, "invalid_input")
    too_long = {"from": "2025-01-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    assert_error(world.client.get(PATH, params=too_long, headers=analyst), 422, "invalid_input")
    assert_error(
        world.client.get(PATH, params={"channel": "fax"}, headers=analyst), 422, "invalid_input"
    )
    end = datetime.now(UTC)
    day = {"from": (end - timedelta(days=1)).isoformat(), "to": end.isoformat(), "channel": "ui"}
    body = world.client.get(PATH, params=day, headers=analyst).json()
    assert body["estimate_step"] == "day" and body["channel"] == "ui" and body["months"] == []
