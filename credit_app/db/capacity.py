"""How many connections the workers of one app may open on its database server."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from credit_app.db.engine import Database
from credit_app.db.migrations import DatabaseError, cannot_use

#: Connections kept free for everything but the workers: `credit-app` commands, migrations,
#: an operator's psql, the server's own monitoring.
RESERVED_FOR_OTHERS = 5


@dataclass(frozen=True)
class PoolSize:
    """Connections one worker keeps open (`pool_size`) and may open beyond them under load."""

    pool_size: int
    max_overflow: int

    @property
    def most(self) -> int:
        return self.pool_size + self.max_overflow


def connection_limit(url: str) -> int | None:
    """Connections ordinary users may open on the server (None: SQLite has no such limit)."""
    if not make_url(url).drivername.startswith("postgresql"):
        return None
    database = Database(url, pool_size=1, max_overflow=0)
    try:
        with database.engine.connect() as connection:
            most = int(connection.execute(text("SHOW max_connections")).scalar_one())
            reserved = int(
                connection.execute(text("SHOW superuser_reserved_connections")).scalar_one()
            )
    except OperationalError as exc:
        raise cannot_use(url, exc) from None
    finally:
        database.dispose()
    return most - reserved


def fit_pools(limit: int, workers: int, wanted: PoolSize) -> PoolSize:
    """The pool each of `workers` may have so that together they stay under `limit`: `wanted`
    if it fits, else a smaller one in the same proportions; DatabaseError if not even one
    connection and one spare per worker fit."""
    share = (limit - RESERVED_FOR_OTHERS) // workers
    if wanted.most <= share:
        return wanted
    if share < 2:
        raise DatabaseError(
            f"{workers} workers need at least {2 * workers + RESERVED_FOR_OTHERS} connections "
            f"and the database server allows {limit}: lower CREDIT_APP_WORKERS or raise "
            "PostgreSQL's max_connections"
        )
    pool_size = max(1, share * wanted.pool_size // wanted.most)
    return PoolSize(pool_size, share - pool_size)
