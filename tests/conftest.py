"""Fixtures shared by every test folder: settings in a temporary directory, fresh databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from credit_app.config import Settings, load_settings
from credit_app.db.migrations import upgrade
from credit_app.services.container import Services, build_services

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_server_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        return None
    return make_url(url).set(drivername="postgresql+psycopg2").render_as_string(False)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of a PostgreSQL server; absent only outside CI (CI must run these tests)."""
    url = _postgres_server_url()
    if url is None:
        if IN_CI:
            pytest.fail("TEST_POSTGRES_URL is not set in CI: the PostgreSQL tests must run")
        pytest.skip("TEST_POSTGRES_URL not set")
    try:
        with create_engine(url).connect() as connection:
            connection.execute(text("select 1"))
    except OperationalError as exc:
        pytest.fail(f"TEST_POSTGRES_URL={url} is set but unreachable: {exc.orig}")
    return url


@pytest.fixture
def fresh_postgres(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database of its own, dropped afterwards."""
    name = f"credit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server).set(drivername="postgresql+psycopg2", database=name)
    database_url = url.render_as_string(hide_password=False)
    yield database_url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each supported kind: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("fresh_postgres")


@pytest.fixture
def migrated_url(database_url: str) -> str:
    upgrade(database_url)
    return database_url


@pytest.fixture
def settings_env(tmp_path: Path, migrated_url: str) -> dict[str, str]:
    """The environment of one test's settings: its own data directory and database."""
    return {
        "CREDIT_APP_DATA_DIR": str(tmp_path / "data"),
        "CREDIT_APP_DATABASE_URL": migrated_url,
        "CREDIT_APP_LOCKOUT_MINUTES": "15",
        "CREDIT_APP_MAX_LOGIN_FAILURES": "3",
    }


@pytest.fixture
def settings(settings_env: dict[str, str]) -> Settings:
    return load_settings(settings_env)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """The services of one test's settings (its own database), closed afterwards."""
    built = build_services(settings)
    yield built
    built.close()


@pytest.fixture
def model_services(settings_env: dict[str, str], model_dir: Path) -> Iterator[Services]:
    """The services of one test's database, with the small real model of `model_dir`."""
    built = build_services(load_settings({**settings_env, "CREDIT_APP_MODEL_DIR": str(model_dir)}))
    yield built
    built.close()


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small real model trained on synthetic data (no model files are committed)."""
    from credit_app.ml import synth
    from credit_app.ml.train import train_model

    directory = tmp_path_factory.mktemp("model")
    frame = synth.generate(3000, seed=11)
    train_model(frame, directory, folds=2, params={"num_boost_round": 60})
    return directory
