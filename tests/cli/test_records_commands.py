"""`credit-app clients import` and `credit-app apikeys create` against a real database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from credit_app.config import load_settings
from credit_app.db.engine import Database
from credit_app.db.models import ApiClient, Client, Outcome
from credit_app.ml import synth
from credit_app.services.api_keys import authenticate_api_key
from tests.cli.test_commands import run_cli


def count(url: str, table: type) -> int:
    database = Database(url)
    with database.session() as session:
        total = session.exec(select(func.count()).select_from(table)).one()
    database.dispose()
    return total


def test_import_reports_bad_rows_records_targets_and_is_idempotent(tmp_path: Path) -> None:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    frame = synth.generate(50, seed=8)
    frame["AMT_CREDIT"] = frame["AMT_CREDIT"].astype(object)
    frame.loc[4, "AMT_CREDIT"] = "lots"
    path = tmp_path / "clients.csv"
    frame.to_csv(path, index=False)
    first = run_cli(["clients", "import", "--data", str(path)], env)
    assert first.returncode == 0, first.stderr
    assert f"{path}: line 6, AMT_CREDIT:" in first.stdout
    # Every known TARGET is an outcome, repaid (0) as well as defaulted (1).
    assert "Imported 49 clients (49 new, 0 updated), 49 outcomes recorded." in first.stdout
    again = run_cli(["clients", "import", "--data", str(path)], env)
    assert "(0 new, 49 updated), 0 outcomes recorded." in again.stdout
    url = load_settings(env).database_url
    assert count(url, Client) == 49 and count(url, Outcome) == 49


def test_import_of_an_unusable_file_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "not.csv"
    path.write_bytes(b"\x00\x01\x02garbage")
    result = run_cli(
        ["clients", "import", "--data", str(path)], {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_apikey_is_printed_once_and_only_its_hash_stored(tmp_path: Path) -> None:
    env = {"CREDIT_APP_DATA_DIR": str(tmp_path)}
    result = run_cli(["apikeys", "create", "--name", "origination", "--role", "officer"], env)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    database = Database(load_settings(env).database_url)
    with database.session() as session:
        stored = session.exec(select(ApiClient)).one()
        assert key not in (stored.key_hash, stored.key_prefix) and len(stored.key_hash) == 64
        actor = authenticate_api_key(session, key)
        assert actor is not None and actor.role == "officer" and actor.name == "origination"
        assert authenticate_api_key(session, key[:-1] + "x") is None
    database.dispose()
    duplicate = run_cli(["apikeys", "create", "--name", "origination", "--role", "admin"], env)
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
