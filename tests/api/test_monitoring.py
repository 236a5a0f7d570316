"""GET /api/v1/monitoring/summary: the figures of the monitoring pages for machines."""

from __future__ import annotations

from credit_app.domain import Role
from tests.api.conftest import ApiWorld
from tests.api.test_auth_and_roles import assert_error
from tests.api.test_scoring import APPLICANT


def test_summary_counts_what_was_served(world: ApiWorld) -> None:
    officer, analyst = world.as_role(Role.officer), world.as_role(Role.analyst)
    for _ in range(5):
        assert (
            world.client.post("/api/v1/score", json=APPLICANT, headers=officer).status_code == 200
        )
    bad = world.client.post("/api/v1/score", json={"AMT_CREDIT": -5}, headers=officer)
    assert bad.status_code == 422
    body = world.client.get("/api/v1/monitoring/summary", headers=analyst).json()
    assert body["requests"] == 6 and body["errors"] == 1 and body["errors_by_status"] == {"422": 1}
    assert body["decisions"] == 5 and 0 <= body["approval_rate"] <= 1
    assert body["score"]["reason"] == "not_enough_data" and body["score"]["drifted"] is False
    assert body["latency_p95_ms"] >= body["latency_p50_ms"] > 0
    ui_only = world.client.get(
        "/api/v1/monitoring/summary", params={"channel": "ui"}, headers=analyst
    ).json()
    assert ui_only["requests"] == 0 and ui_only["approval_rate"] is None


def test_summary_windows_are_checked(world: ApiWorld) -> None:
    analyst = world.as_role(Role.analyst)
    path = "/api/v1/monitoring/summary"
    naive = {"from": "2026-11-01T00:00:00", "to": "2026-11-02T00:00:00"}
    assert_error(world.client.get(path, params=naive, headers=analyst), 422, "invalid_input")
    one_sided = {"from": "2026-11-01T00:00:00Z"}
    assert_error(world.client.get(path, params=one_sided, headers=analyst), 422, "invalid_input")
    backwards = {"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    assert_error(world.client.get(path, params=backwards, headers=analyst), 422, "invalid_input")
    day = {"from": "2026-11-01T00:00:00Z", "to": "2026-11-02T00:00:00+01:00"}
    assert world.client.get(path, params=day, headers=analyst).status_code == 200
