"""Redis going away while the app runs: /api/v1/ready says so within a second, with a 503
(no hang), the API keeps scoring (it does not use Redis), and ready comes back with Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from credit_app.config import load_settings
from credit_app.domain import Role
from tests.api.conftest import ApiWorld, build_world
from tests.serving import free_port


class PrivateRedis:
    """A redis-server of this test's own, which it may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1",
             "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: scripts/ensure-services.sh installs it")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def world_on_redis(
    settings_env: dict[str, str], model_dir: Path, redis_server: PrivateRedis
) -> Iterator[ApiWorld]:
    settings = load_settings(
        {
            **settings_env,
            "CREDIT_APP_MODEL_DIR": str(model_dir),
            "CREDIT_APP_REDIS_URL": redis_server.url,
        }
    )
    world = build_world(settings)
    yield world
    world.services.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_ready_reports_redis_gone_fast_and_scoring_goes_on(
    world_on_redis: ApiWorld, redis_server: PrivateRedis
) -> None:
    client = world_on_redis.client
    assert client.get("/api/v1/ready").status_code == 200
    redis_server.stop()
    started = time.monotonic()
    response = client.get("/api/v1/ready")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "state_store_unavailable"
    assert "Redis, which holds the pages' state, does not answer" in error["message"]
    score = client.post(
        f"/api/v1/clients/{world_on_redis.sk_ids[0]}/score",
        headers=world_on_redis.as_role(Role.officer),
    )
    assert score.status_code == 200, score.text
    redis_server.start()
    assert client.get("/api/v1/ready").status_code == 200
