"""A served app with clients and an officer's API key, for load and fault tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from credit_app.db.models import Prediction
from credit_app.ml import synth
from tests.serving import ServedApp, app_environment, run_cli, start

CLIENT_ROWS = 200
_PREDICTIONS = Prediction.__table__  # type: ignore[attr-defined]


@dataclass
class LoadTarget:
    """The served app (restartable), its database and what a caller needs to score."""

    app: ServedApp
    database: Engine
    key: str
    client_ids: list[int]
    log_path: Path

    def restart(self) -> None:
        self.app.stop()
        self.app = start(self.app.env, self.log_path)

    def recorded(self) -> dict[str, int]:
        """Every prediction id in the log, with its status."""
        with self.database.connect() as connection:
            rows = connection.execute(select(_PREDICTIONS.c.id, _PREDICTIONS.c.status))
            return {row.id: row.status for row in rows}

    def count(self) -> int:
        with self.database.connect() as connection:
            return connection.execute(select(func.count()).select_from(_PREDICTIONS)).scalar_one()


def prepare_target(data_dir: Path, model_dir: Path, **settings: str) -> LoadTarget:
    """Migrate and fill a database (SQLite in `data_dir` unless a URL is given), then serve."""
    env = app_environment(data_dir, model_dir, **settings)
    clients = synth.generate(CLIENT_ROWS, seed=33)
    clients_file = data_dir / "clients.csv"
    synth.write_csv(clients, clients_file)
    run_cli(["clients", "import", "--data", str(clients_file)], env)
    created = run_cli(["apikeys", "create", "--name", "load", "--role", "officer"], env)
    url = settings.get("CREDIT_APP_DATABASE_URL") or f"sqlite:///{data_dir / 'credit_app.db'}"
    log_path = data_dir / "serve.log"
    database = create_engine(url)
    return LoadTarget(
        app=start(env, log_path),
        database=database,
        key=created.strip().splitlines()[-1],
        client_ids=[int(i) for i in clients["SK_ID_CURR"]],
        log_path=log_path,
    )


@pytest.fixture(scope="module")
def sqlite_target(
    tmp_path_factory: pytest.TempPathFactory, model_dir: Path
) -> Iterator[LoadTarget]:
    target = prepare_target(tmp_path_factory.mktemp("load"), model_dir)
    yield target
    target.app.stop()
    target.database.dispose()
