"""Settings: defaults, and one clear message naming each bad variable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from credit_app.config import ConfigError, load_settings


def test_demo_defaults_use_sqlite_under_data_dir_and_keep_a_generated_secret(
    tmp_path: Path,
) -> None:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    first = load_settings(env)
    assert first.database_url == f"sqlite:///{tmp_path / 'credit_app.db'}"
    assert first.model_dir == tmp_path / "model"
    assert len(first.secret_key) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert load_settings(env).secret_key == first.secret_key


def test_production_requires_a_real_secret(tmp_path: Path) -> None:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path), "CREDIT_APP_ENV": "production"}
    with pytest.raises(ConfigError, match="CREDIT_APP_SECRET_KEY is required"):
        load_settings(env)
    with pytest.raises(ConfigError, match="placeholder"):
        load_settings({**env, "CREDIT_APP_SECRET_KEY": "change-me"})
    with pytest.raises(ConfigError, match="too short"):
        load_settings({**env, "CREDIT_APP_SECRET_KEY": "abc123"})
    assert load_settings({**env, "CREDIT_APP_SECRET_KEY": "k" * 40}).is_production
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CREDIT_APP_DATABASE_URL", "not a url", "CREDIT_APP_DATABASE_URL is not a database URL"),
        ("CREDIT_APP_DATABASE_URL", "mysql://u@h/db", "unsupported driver 'mysql'"),
        ("CREDIT_APP_DATABASE_URL", "postgresql://u@h", "names no database"),
        ("CREDIT_APP_ENV", "staging", "CREDIT_APP_ENV must be"),
        ("CREDIT_APP_PORT", "eighty", "CREDIT_APP_PORT must be a number"),
        ("CREDIT_APP_PORT", "0", "CREDIT_APP_PORT must be at least 1"),
        ("CREDIT_APP_REDIS_URL", "localhost:6379", "CREDIT_APP_REDIS_URL must start"),
    ],
)
def test_bad_values_name_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({"CREDIT_APP_DATA_DIR": str(tmp_path), variable: value})


def test_postgresql_urls_use_the_psycopg2_driver(tmp_path: Path) -> None:
    settings = load_settings(
        {"CREDIT_APP_DATA_DIR": str(tmp_path), "CREDIT_APP_DATABASE_URL": "postgresql://u:p@h/db"}
    )
    assert settings.database_url == "postgresql+psycopg2://u:p@h/db"


def test_workers_default_from_the_cores_and_need_redis(tmp_path: Path) -> None:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    assert load_settings(env).workers == 1  # no Redis: the pages' state is in the process
    assert load_settings({**env, "CREDIT_APP_WORKERS": "1"}).workers == 1
    with pytest.raises(ConfigError, match="CREDIT_APP_WORKERS=2 needs CREDIT_APP_REDIS_URL"):
        load_settings({**env, "CREDIT_APP_WORKERS": "2"})
    redis = {**env, "CREDIT_APP_REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert load_settings(redis).workers == (os.cpu_count() or 1) + 1
    assert load_settings({**redis, "CREDIT_APP_WORKERS": "2"}).workers == 2
    with pytest.raises(ConfigError, match="CREDIT_APP_WORKERS must be at least 1"):
        load_settings({**redis, "CREDIT_APP_WORKERS": "0"})
