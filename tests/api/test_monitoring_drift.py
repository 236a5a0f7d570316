"""GET /api/v1/monitoring/drift: one row per feature for machines, as the page shows it."""

from __future__ import annotations

from credit_app.domain import Role
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error
from tests.unit.services.test_monitoring_drift import SHIFTED, applicants

REQUIRED = {"feature", "test", "value", "threshold", "drifted"}


def send(world: ApiWorld, rows: int, seed: int, factors: dict[str, float] | None = None) -> None:
    frame = applicants(rows, seed, factors)
    records = [{k: v for k, v in r.items() if v == v} for r in frame.to_dict(orient="records")]
    response = world.client.post(
        "/api/v1/score/batch", json=records, headers=world.as_role(Role.officer)
    )
    assert response.status_code == 200, response.text


def test_drift_rows_flag_the_shifted_features(world: ApiWorld) -> None:
    send(world, 1200, seed=31, factors=SHIFTED)
    body = world.client.get("/api/v1/monitoring/drift", headers=world.as_role(Role.analyst)).json()
    assert body["n"] == 1200 and body["enough_data"] is True
    assert all(row.keys() >= REQUIRED for row in body["features"])
    assert {row["feature"] for row in body["features"] if row["drifted"]} == set(SHIFTED)
    assert {row["test"] for row in body["features"]} == {"psi"}
    keys = [row["value"] * row["importance"] for row in body["features"]]
    assert keys == sorted(keys, reverse=True)  # the drift that matters first
    assert body["level"] in {"watch", "act"} and body["drifted_share"] > 0
    api_only = world.client.get(
        "/api/v1/monitoring/drift", params={"channel": "ui"}, headers=world.as_role(Role.admin)
    ).json()
    assert api_only["n"] == 0 and api_only["enough_data"] is False
    assert not any(row["drifted"] for row in api_only["features"])


def test_drift_is_for_analysts_and_admins(world: ApiWorld) -> None:
    officer = world.as_role(Role.officer)
    assert_error(world.client.get("/api/v1/monitoring/drift", headers=officer), 403, "forbidden")
    naive = {"from": "2026-11-01T00:00:00", "to": "2026-11-02T00:00:00"}
    analyst = world.as_role(Role.analyst)
    response = world.client.get("/api/v1/monitoring/drift", params=naive, headers=analyst)
    assert_error(response, 422, "invalid_input")
