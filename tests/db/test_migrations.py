"""The Alembic scripts build exactly the schema the SQLModel tables describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import credit_app.db.models  # noqa: F401
from credit_app.db.engine import Database
from credit_app.db.migrations import current_revision, head_revision, upgrade


def test_upgrade_reaches_head_and_matches_the_models(database_url: str) -> None:
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    database = Database(database_url)
    with database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert {"users", "audit_events", "alembic_version"} <= tables
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, SQLModel.metadata) == []
    database.dispose()


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
