"""What `credit-app serve` checks before starting workers: each refusal is one line on
standard error and exit status 2, within seconds, before any worker or build starts."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from credit_app.db.capacity import RESERVED_FOR_OTHERS, PoolSize, connection_limit, fit_pools
from credit_app.db.migrations import DatabaseError
from tests.cli.test_commands import run_cli
from tests.model_versions import tamper
from tests.serving import free_port


def refusal(args: list[str], env: dict[str, str]) -> str:
    """Run the command, expect a refusal within 30 s; its one line."""
    started = time.monotonic()
    result = run_cli(args, env)
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def migrated_env(tmp_path: Path) -> dict[str, str]:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    assert run_cli(["db", "upgrade"], env).returncode == 0
    return env


def test_an_unmigrated_database_is_refused_until_db_upgrade(tmp_path: Path) -> None:
    line = refusal(["serve"], {"CREDIT_APP_DATA_DIR": str(tmp_path)})
    assert "is at schema revision none (empty)" in line
    assert "run `credit-app db upgrade` first" in line


def test_unreachable_redis_is_one_line_not_a_hang(migrated_env: dict[str, str]) -> None:
    env = {**migrated_env, "CREDIT_APP_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    line = refusal(["serve", "--port", "3999"], env)
    assert line.startswith("credit-app: error: CREDIT_APP_REDIS_URL: Redis at 127.0.0.1:")
    assert "does not answer" in line


def test_an_altered_model_file_is_refused(
    migrated_env: dict[str, str], model_dir: Path, tmp_path: Path
) -> None:
    altered = tmp_path / "altered-model"
    shutil.copytree(model_dir, altered)
    tamper(altered)
    line = refusal(["serve"], {**migrated_env, "CREDIT_APP_MODEL_DIR": str(altered)})
    assert line.startswith("credit-app: error: CREDIT_APP_MODEL_DIR: ")
    assert "does not match the sha256 in model_card.json" in line


def test_several_workers_without_redis_are_refused(migrated_env: dict[str, str]) -> None:
    line = refusal(["serve"], {**migrated_env, "CREDIT_APP_WORKERS": "3"})
    assert "CREDIT_APP_WORKERS=3 needs CREDIT_APP_REDIS_URL" in line


def test_pools_shrink_to_fit_the_server_or_refuse() -> None:
    wanted = PoolSize(20, 30)
    assert fit_pools(200, 3, wanted) == wanted
    fitted = fit_pools(97, 3, wanted)
    assert fitted == PoolSize(12, 18)
    assert 3 * fitted.most + RESERVED_FOR_OTHERS <= 97
    with pytest.raises(DatabaseError, match="60 workers need at least 125 connections"):
        fit_pools(97, 60, wanted)


@pytest.mark.postgres
def test_serve_reads_the_postgresql_limit_and_sizes_pools_to_it(fresh_postgres: str) -> None:
    limit = connection_limit(fresh_postgres)
    assert limit is not None and limit > 10
    env = {"CREDIT_APP_DATABASE_URL": fresh_postgres}
    assert run_cli(["db", "upgrade"], env).returncode == 0
    too_many = (limit - RESERVED_FOR_OTHERS) // 2 + 1
    redis = f"redis://127.0.0.1:{free_port()}/0"
    line = refusal(
        ["serve"], {**env, "CREDIT_APP_REDIS_URL": redis, "CREDIT_APP_WORKERS": str(too_many)}
    )
    assert f"{too_many} workers need at least" in line and f"allows {limit}" in line
    # Pools that do not fit are made smaller, saying so (then the unreachable Redis stops it).
    workers = max(1, (limit - RESERVED_FOR_OTHERS) // 60 + 1)
    result = run_cli(
        ["serve"], {**env, "CREDIT_APP_REDIS_URL": redis, "CREDIT_APP_WORKERS": str(workers)}
    )
    fitted = fit_pools(limit, workers, PoolSize(20, 30))
    assert f"each worker gets {fitted.pool_size} + {fitted.max_overflow}" in result.stdout
    assert "CREDIT_APP_REDIS_URL" in result.stderr
