"""Bring a database to the newest schema with the Alembic scripts in alembic/versions."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from alembic import command
from credit_app.db.engine import Database

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"


class DatabaseError(Exception):
    """The database cannot be reached or migrated; the message is one clear line."""


def alembic_config(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def describe(url: str) -> str:
    """The URL with its password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str, revision: str = "head") -> None:
    """Apply every pending migration; raise DatabaseError with a readable reason."""
    try:
        _ensure_sqlite_directory(url)
        database = Database(url, pool_size=1, max_overflow=0)
        try:
            with database.engine.begin() as connection:
                config = alembic_config(url)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            database.dispose()
    except OperationalError as exc:
        raise cannot_use(url, exc) from None
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseError(f"cannot migrate database {describe(url)}: {exc}") from None


def cannot_use(url: str, exc: OperationalError) -> DatabaseError:
    """The one line saying why the database at `url` cannot be reached."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return DatabaseError(f"cannot use database {describe(url)}: {reason}")


def require_head(url: str) -> None:
    """Raise DatabaseError unless the schema is at the newest revision: replicas serve a
    migrated database, they never migrate it themselves (`credit-app db upgrade` does)."""
    try:
        current = current_revision(url)
    except OperationalError as exc:
        raise cannot_use(url, exc) from None
    head = head_revision()
    if current != head:
        raise DatabaseError(
            f"database {describe(url)} is at schema revision {current or 'none (empty)'}, "
            f"this version needs {head}: run `credit-app db upgrade` first "
            "(or `credit-app serve --migrate`)"
        )


def current_revision(url: str) -> str | None:
    database = Database(url, pool_size=1, max_overflow=0)
    try:
        with database.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        database.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
