"""No Docker engine runs here: keep Dockerfile, compose file and .env.example true by checking
them against the settings the app really reads and the routes it really serves."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from credit_app.api.app import create_api

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"\bCREDIT_APP_[A-Z_]+\b")


def variables_read_by_the_app() -> set[str]:
    return set(VARIABLE.findall((ROOT / "credit_app" / "config.py").read_text()))


def test_env_example_documents_every_setting() -> None:
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert documented == variables_read_by_the_app()


def test_compose_runs_app_postgres_and_redis_with_health_checks_and_volumes() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert services["db"]["volumes"] and services["redis"]["volumes"]
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}
    environment = services["app"]["environment"]
    app_variables = {key for key in environment if key.startswith("CREDIT_APP_")}
    assert app_variables <= variables_read_by_the_app()
    assert environment["CREDIT_APP_ENV"] == "production"
    assert environment["CREDIT_APP_DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in environment["CREDIT_APP_DATABASE_URL"]
    assert environment["CREDIT_APP_REDIS_URL"].startswith("redis://redis:6379")
    assert set(services["app"]["depends_on"]) == {"db", "redis"}
    port = environment["PORT"]
    assert f"{port}:{port}" in services["app"]["ports"]
    assert f"127.0.0.1:{port}/api/v1/health" in " ".join(services["app"]["healthcheck"]["test"])


def test_dockerfile_is_multi_stage_non_root_and_checks_health_on_port() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) >= 2
    assert re.search(r"^USER app$", dockerfile, re.M)
    assert "PORT=8000" in dockerfile
    assert "/api/v1/health" in dockerfile and "HEALTHCHECK" in dockerfile
    assert 'credit-app serve --port \\"${PORT}\\"' in dockerfile
    for variable in VARIABLE.findall(dockerfile):
        assert variable in variables_read_by_the_app()


def test_health_route_named_in_deployment_files_exists() -> None:
    assert "/api/v1/health" in create_api().openapi()["paths"]
