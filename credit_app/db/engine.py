"""The database of one process: its pooled engine and short-lived sessions.

A `Database` is built once by the composition root (`services.container`) from the
settings, so the pool is sized per worker process; tests and commands build their own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlmodel import Session, create_engine

#: How long a new PostgreSQL connection may take before the request fails (503).
CONNECT_TIMEOUT_SECONDS = 3


class Database:
    """One engine for `url`, with `pool_size` connections kept and `max_overflow` more."""

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10) -> None:
        self.url = url
        self.engine = _create(url, pool_size, max_overflow)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close the pooled connections (before a test drops its database)."""
        self.engine.dispose()


def is_unreachable(error: BaseException) -> bool:
    """Whether a database error means the server is away (connection refused or lost,
    SQLite file locked or unreadable) rather than that a statement is wrong."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _create(url: str, pool_size: int, max_overflow: int) -> Engine:
    """SQLite gets WAL and a busy timeout for concurrent writers; PostgreSQL a checked pool."""
    if not url.startswith("sqlite"):
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=max_overflow,
            # A server that does not answer fails a request in seconds, not minutes.
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        )
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=60,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL survives application crashes; PostgreSQL is the production store.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine
