"""Verified credentials are cached per process for `TTL_SECONDS`: a revoked key, a
deactivated user or a changed role takes effect within that time, and not later."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import select

from credit_app.db.models import ApiClient, User
from credit_app.domain import Role
from credit_app.services.credential_cache import TTL_SECONDS
from tests.api.conftest import USER_PASSWORD, ApiWorld


def seconds_until(check: Callable[[], bool], limit: float) -> float:
    """How long until `check()` holds, polled; fails past `limit` seconds."""
    started = time.monotonic()
    while not check():
        elapsed = time.monotonic() - started
        assert elapsed < limit, f"still not in effect after {elapsed:.1f} s"
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_deactivated_api_key_is_refused_within_the_ttl(world: ApiWorld) -> None:
    key = world.as_role(Role.officer)
    assert world.client.get("/api/v1/clients", headers=key).status_code == 200
    with world.services.session() as session:
        client = session.exec(select(ApiClient).where(ApiClient.name == "officer-system")).one()
        client.active = False
        session.add(client)

    def refused() -> bool:
        return world.client.get("/api/v1/clients", headers=key).status_code == 401

    seconds_until(refused, TTL_SECONDS + 1.0)


def test_a_changed_role_and_a_deactivated_user_take_effect_within_the_ttl(
    world: ApiWorld,
) -> None:
    client: TestClient = world.client
    token = client.post(
        "/api/v1/auth/token", data={"username": "ursula", "password": USER_PASSWORD}
    ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/predictions", headers=bearer).status_code == 403  # officer

    def set_user(**values: object) -> None:
        with world.services.session() as session:
            user = session.exec(select(User).where(User.username == "ursula")).one()
            for name, value in values.items():
                setattr(user, name, value)
            session.add(user)

    set_user(role=Role.analyst)
    seconds_until(
        lambda: client.get("/api/v1/predictions", headers=bearer).status_code == 200,
        TTL_SECONDS + 1.0,
    )
    set_user(active=False)
    seconds_until(
        lambda: client.get("/api/v1/predictions", headers=bearer).status_code == 401,
        TTL_SECONDS + 1.0,
    )
