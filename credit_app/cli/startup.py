"""What `credit-app serve` checks before it starts any worker, each refusal one clear line:
the schema is migrated, the workers' pools fit the database server, Redis answers, the
model on disk is the one its card describes."""

from __future__ import annotations

from pathlib import Path

from credit_app.cli.common import CommandError, migrate_or_exit
from credit_app.config import Settings
from credit_app.db.capacity import PoolSize, connection_limit, fit_pools
from credit_app.db.migrations import DatabaseError, require_head
from credit_app.ml.artifacts import CARD_FILE

#: Seconds to wait for Redis before saying it is unreachable (Reflex itself would wait longer).
REDIS_TIMEOUT_SECONDS = 3.0


def database_ready(settings: Settings, *, migrate: bool) -> PoolSize:
    """Migrate (if asked) or require a migrated schema; the pool each worker may have."""
    wanted = PoolSize(settings.db_pool_size, settings.db_max_overflow)
    try:
        if migrate:
            migrate_or_exit(settings)
        else:
            require_head(settings.database_url)
        limit = connection_limit(settings.database_url)
        if limit is None:
            return wanted
        fitted = fit_pools(limit, settings.workers, wanted)
    except DatabaseError as exc:
        raise CommandError(f"CREDIT_APP_DATABASE_URL: {exc}") from None
    if fitted != wanted:
        print(
            f"Credit Risk Desk: the database server allows {limit} connections, too few for "
            f"{settings.workers} workers x {wanted.most} (CREDIT_APP_DB_POOL_SIZE "
            f"{wanted.pool_size} + CREDIT_APP_DB_MAX_OVERFLOW {wanted.max_overflow}): each "
            f"worker gets {fitted.pool_size} + {fitted.max_overflow}",
            flush=True,
        )
    return fitted


def redis_ready(url: str | None) -> None:
    """Refuse to start when Redis, which holds the pages' state, does not answer."""
    if url is None:
        return
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except RedisError as exc:
        where = client.connection_pool.connection_kwargs
        address = where.get("path") or f"{where.get('host')}:{where.get('port')}"
        raise CommandError(
            f"CREDIT_APP_REDIS_URL: Redis at {address} does not answer: {exc}"
        ) from None
    finally:
        client.close()


def model_ready(model_dir: Path) -> None:
    """Refuse a model whose files do not match its card; start without one (ready says so)."""
    if not (model_dir / CARD_FILE).exists():
        print(
            f"Credit Risk Desk: no model in {model_dir} yet: /api/v1/ready answers 503 until "
            "one is trained (`credit-app train --out` that directory, or `credit-app demo "
            "prepare`); every worker picks it up within seconds",
            flush=True,
        )
        return
    from credit_app.ml.model import CreditModel, ModelError  # LightGBM, pandas: a second

    try:
        CreditModel.load(model_dir)
    except ModelError as exc:
        raise CommandError(f"CREDIT_APP_MODEL_DIR: {exc}") from None
