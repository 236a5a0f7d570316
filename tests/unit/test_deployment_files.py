"""No Docker engine runs here: keep Dockerfile, compose file and .env.example true by checking
them against the settings the app really reads and the routes it really serves."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from credit_app.api.app import create_api
from credit_app.config import load_settings
from credit_app.db.capacity import RESERVED_FOR_OTHERS

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


def compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_compose_runs_replicas_behind_a_proxy_sharing_postgres_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"migrate", "app", "proxy", "db", "redis"}
    for name in ("app", "proxy", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert services["db"]["volumes"] and services["redis"]["volumes"]
    assert set(compose["volumes"]) >= {"pgdata", "redisdata"}
    app = services["app"]
    environment = app["environment"]
    app_variables = {key for key in environment if key.startswith("CREDIT_APP_")}
    assert app_variables <= variables_read_by_the_app()
    assert environment["CREDIT_APP_ENV"] == "production"
    assert environment["CREDIT_APP_DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in environment["CREDIT_APP_DATABASE_URL"]
    assert environment["CREDIT_APP_REDIS_URL"].startswith("redis://redis:6379")
    assert app["deploy"]["replicas"] >= 2
    # Only the proxy is published: a replica's port is for the proxy alone.
    assert "ports" not in app and app["expose"] == [environment["PORT"]]
    assert f"127.0.0.1:{environment['PORT']}/api/v1/health" in " ".join(app["healthcheck"]["test"])
    # Every replica with its pools fits under PostgreSQL's default max_connections (100).
    per_replica = int(environment["CREDIT_APP_WORKERS"]) * (
        int(environment["CREDIT_APP_DB_POOL_SIZE"]) + int(environment["CREDIT_APP_DB_MAX_OVERFLOW"])
    )
    assert app["deploy"]["replicas"] * per_replica + RESERVED_FOR_OTHERS <= 100 - 3


def test_compose_migrates_once_before_any_replica_starts() -> None:
    services = compose_services()
    migrate, app = services["migrate"], services["app"]
    assert migrate["command"] == ["credit-app", "db", "upgrade"]
    assert migrate["restart"] == "no" and migrate["environment"] == app["environment"]
    assert migrate["image"] == app["image"]
    assert app["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert "--migrate" not in " ".join(app.get("command", []))


def test_replicas_stop_gracefully() -> None:
    app = compose_services()["app"]
    assert app["stop_signal"] == "SIGTERM"
    assert 10 <= int(app["stop_grace_period"].rstrip("s")) <= 120
    assert re.search(r"^STOPSIGNAL SIGTERM$", (ROOT / "Dockerfile").read_text(), re.M)


def nginx_blocks() -> dict[str, str]:
    """The proxy's configuration: the server block's own directives and each location's."""
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    config = re.sub(r"#[^\n]*", "", config)
    locations = dict(re.findall(r"location\s+(\S+)\s*\{([^}]*)\}", config))
    server = re.sub(r"location\s+\S+\s*\{[^}]*\}", "", config)
    return {"server": server, **locations}


def test_proxy_upgrades_event_websockets_and_overwrites_forwarded_for() -> None:
    services = compose_services()
    proxy = services["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    blocks = nginx_blocks()
    assert set(blocks) == {"server", "/_event", "/"}
    port = services["app"]["environment"]["PORT"]
    assert f"server app:{port} resolve;" in blocks["server"]
    listen = re.search(r"listen (\d+);", blocks["server"])
    assert listen and proxy["ports"] == [f"{port}:{listen.group(1)}"]
    # Reflex trusts the first X-Forwarded-For entry: the proxy writes it, never appends.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in blocks["server"]
    assert "$proxy_add_x_forwarded_for" not in "".join(blocks.values())
    events = blocks["/_event"]
    assert "proxy_set_header Upgrade $http_upgrade;" in events
    assert 'proxy_set_header Connection "upgrade";' in events
    timeout = re.search(r"proxy_read_timeout (\d+)s;", events)
    assert timeout and int(timeout.group(1)) > 120
    assert "proxy_http_version 1.1;" in blocks["server"]
    for block in ("/_event", "/"):
        assert "proxy_pass http://replicas;" in blocks[block]
    body = re.search(r"client_max_body_size (\d+)m;", (ROOT / "deploy" / "nginx.conf").read_text())
    assert (
        body
        and int(body.group(1)) >= load_settings({"CREDIT_APP_SECRET_KEY": "k" * 40}).max_upload_mb
    )


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
