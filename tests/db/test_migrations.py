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


def test_old_audit_actors_get_the_one_format(database_url: str) -> None:
    from sqlalchemy import text

    upgrade(database_url, "0005")
    database = Database(database_url)
    with database.engine.begin() as connection:
        for actor in ("cli", "demo", "user:3"):
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, actor, action, details) "
                    "VALUES (CURRENT_TIMESTAMP, :actor, 'user.create', '{}')"
                ),
                {"actor": actor},
            )
    upgrade(database_url)
    with database.engine.connect() as connection:
        actors = connection.execute(text("SELECT actor FROM audit_events ORDER BY id")).scalars()
        assert list(actors) == ["system:cli", "system:demo", "user:3"]
    database.dispose()
