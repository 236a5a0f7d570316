"""An API over a real database and a real (small) model, with one key per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from credit_app.api.app import create_api
from credit_app.config import Settings, load_settings
from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.services import api_keys, clients, users
from credit_app.services.actors import SYSTEM
from credit_app.services.container import Services, build_services

CLIENT_ROWS = 120
USER_PASSWORD = "a long enough password"


@dataclass
class ApiWorld:
    client: TestClient
    services: Services
    keys: dict[Role, str]
    sk_ids: list[int]

    def as_role(self, role: Role) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}


def build_world(settings: Settings) -> ApiWorld:
    services = build_services(settings)
    frame = synth.generate(CLIENT_ROWS, seed=5)
    with services.session() as session:
        clients.import_clients(session, SYSTEM, frame, secret=settings.secret_key)
        keys = {
            role: api_keys.create_api_key(session, SYSTEM, name=f"{role}-system", role=role).key
            for role in Role
        }
        users.create_user(
            session, SYSTEM, username="ursula", password=USER_PASSWORD, role=Role.officer
        )
    client = TestClient(create_api(lambda: services), raise_server_exceptions=False)
    return ApiWorld(client, services, keys, [int(i) for i in frame["SK_ID_CURR"]])


@pytest.fixture
def world(settings_env: dict[str, str], model_dir) -> ApiWorld:  # type: ignore[no-untyped-def]
    return build_world(load_settings({**settings_env, "CREDIT_APP_MODEL_DIR": str(model_dir)}))
