"""The credit-app command: bad settings stop it with one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.serving import cli


def run_cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """`credit-app` with only the given CREDIT_APP_* settings, whatever its exit status."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_APP_")}
    return cli(args, full_env | env, stdin)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CREDIT_APP_DATABASE_URL": "nonsense"}, "CREDIT_APP_DATABASE_URL is not a database URL"),
        (
            {"CREDIT_APP_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
            "CREDIT_APP_DATABASE_URL: cannot use database",
        ),
        ({"CREDIT_APP_ENV": "production"}, "CREDIT_APP_SECRET_KEY is required"),
    ],
)
@pytest.mark.parametrize("command", [["db", "upgrade"], ["serve", "--port", "3999"]])
def test_bad_settings_stop_start_up_with_one_line(
    tmp_path: Path, env: dict[str, str], expected: str, command: list[str]
) -> None:
    result = run_cli(command, {"CREDIT_APP_DATA_DIR": str(tmp_path), **env})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_users_create_reads_the_password_from_stdin(tmp_path: Path) -> None:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    created = run_cli(
        ["users", "create", "--username", "ana", "--role", "analyst"], env, "long enough pw\n"
    )
    assert created.returncode == 0, created.stderr
    assert "Created analyst 'ana'" in created.stdout
    again = run_cli(
        ["users", "create", "--username", "ana", "--role", "admin"], env, "another long pw\n"
    )
    assert again.returncode == 2
    assert again.stderr.strip() == "credit-app: error: user 'ana' already exists"
    short = run_cli(["users", "create", "--username", "bo", "--role", "admin"], env, "pw\n")
    assert "username must be 3-64 characters" in short.stderr


def test_demo_prepare_does_nothing_in_production(tmp_path: Path) -> None:
    env = {
        "CREDIT_APP_DATA_DIR": str(tmp_path),
        "CREDIT_APP_ENV": "production",
        "CREDIT_APP_SECRET_KEY": "s" * 40,
    }
    result = run_cli(["demo", "prepare"], env)
    assert result.returncode == 0, result.stderr
    assert "no demo accounts" in result.stdout
    assert not (tmp_path / "demo_credentials.json").exists()
    assert not (tmp_path / "model").exists()


def test_serving_processes_let_openmp_threads_sleep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` passes OMP_WAIT_POLICY=PASSIVE to Reflex unless the operator chose a policy."""
    from credit_app.cli.serve import reflex_environment
    from credit_app.config import load_settings
    from credit_app.db.capacity import PoolSize

    settings = load_settings({"CREDIT_APP_DATA_DIR": str(tmp_path)})
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert reflex_environment(settings, PoolSize(3, 4))["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    assert reflex_environment(settings, PoolSize(3, 4))["OMP_WAIT_POLICY"] == "ACTIVE"
