"""Who may call what: API keys, OAuth2 tokens, and the role matrix of every route."""

from __future__ import annotations

import pytest

from credit_app.domain import Role
from tests.api.conftest import USER_PASSWORD, ApiWorld

OFF, ANA, ADM = Role.officer, Role.analyst, Role.admin


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code
    assert "Traceback" not in response.text
    return error


def test_no_credentials_bad_key_and_bad_token_get_401(world: ApiWorld) -> None:
    assert_error(world.client.get("/api/v1/clients"), 401, "authentication_failed")
    bad_key = world.client.get("/api/v1/clients", headers={"X-API-Key": "cra_0000_nope"})
    assert_error(bad_key, 401, "authentication_failed")
    bad_token = world.client.get("/api/v1/clients", headers={"Authorization": "Bearer x.y.z"})
    assert_error(bad_token, 401, "authentication_failed")
    assert bad_token.headers["WWW-Authenticate"] == "Bearer"


def test_password_flow_gives_a_token_that_works(world: ApiWorld) -> None:
    wrong = world.client.post(
        "/api/v1/auth/token", data={"username": "ursula", "password": "wrong one"}
    )
    assert_error(wrong, 401, "authentication_failed")
    response = world.client.post(
        "/api/v1/auth/token", data={"username": "ursula", "password": USER_PASSWORD}
    )
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "bearer" and token["expires_in"] > 0
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert world.client.get("/api/v1/clients", headers=headers).status_code == 200
    # An officer's token does not open the analysts' routes.
    assert_error(world.client.get("/api/v1/predictions", headers=headers), 403, "forbidden")


def test_session_cookie_tokens_are_not_api_tokens(world: ApiWorld) -> None:
    from credit_app.services import sessions
    from credit_app.services.actors import ANONYMOUS

    services = world.services
    with services.session() as session:
        started = sessions.sign_in(
            session, ANONYMOUS, username="ursula", password=USER_PASSWORD, policy=services.sessions
        )
    headers = {"Authorization": f"Bearer {started.token}"}
    assert_error(world.client.get("/api/v1/clients", headers=headers), 401, "authentication_failed")


def _routes(world: ApiWorld) -> dict[str, tuple[str, str, dict]]:
    sk_id = world.sk_ids[0]
    return {
        "search": ("GET", "/api/v1/clients", {}),
        "client": ("GET", f"/api/v1/clients/{sk_id}", {}),
        "score_client": ("POST", f"/api/v1/clients/{sk_id}/score", {}),
        "score": ("POST", "/api/v1/score", {"json": {"AMT_INCOME_TOTAL": 100000.0}}),
        "batch": ("POST", "/api/v1/score/batch", {"json": [{"AMT_CREDIT": 300000.0}]}),
        "model": ("GET", "/api/v1/model", {}),
        "predictions": ("GET", "/api/v1/predictions", {}),
        "monitoring": ("GET", "/api/v1/monitoring/summary", {}),
        "drift": ("GET", "/api/v1/monitoring/drift", {}),
        "fairness": ("GET", "/api/v1/monitoring/fairness", {}),
        "performance": ("GET", "/api/v1/monitoring/performance", {}),
        "outcomes": (
            "POST",
            "/api/v1/outcomes",
            {"json": {"outcomes": [{"client": str(sk_id), "defaulted": True}]}},
        ),
        "export": ("GET", f"/api/v1/clients/{sk_id}/export", {}),
        "erase": ("DELETE", f"/api/v1/clients/{world.sk_ids[-1]}", {}),
    }


ALLOWED = {
    "search": {OFF, ADM},
    "client": {OFF, ADM},
    "score_client": {OFF, ADM},
    "score": {OFF, ADM},
    "batch": {OFF, ADM},
    "model": {OFF, ANA, ADM},
    "predictions": {ANA, ADM},
    "monitoring": {ANA, ADM},
    "drift": {ANA, ADM},
    "fairness": {ANA, ADM},
    "performance": {ANA, ADM},
    "outcomes": {ANA, ADM},
    "export": {ADM},
    "erase": {ADM},
}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(world: ApiWorld, role: Role) -> None:
    for name, (method, path, kwargs) in _routes(world).items():
        response = world.client.request(method, path, headers=world.as_role(role), **kwargs)
        if role in ALLOWED[name]:
            assert response.status_code in (200, 201), (name, role, response.text)
        else:
            error = assert_error(response, 403, "forbidden")
            assert set(response.json()) == {"error"}, (name, role)
            assert error["details"] == []
