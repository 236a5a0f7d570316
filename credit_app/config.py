"""Settings read from CREDIT_APP_* environment variables and validated once at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

Environment = Literal["demo", "production"]

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "changethis", "secret", "replace-me"}
MIN_SECRET_LENGTH = 32
SUPPORTED_DRIVERS = ("sqlite", "postgresql", "postgresql+psycopg2")


class ConfigError(Exception):
    """A bad setting; the message names the environment variable and says what is wrong."""


@dataclass(frozen=True)
class Settings:
    env: Environment
    data_dir: Path
    database_url: str
    secret_key: str
    model_dir: Path
    redis_url: str | None
    port: int
    session_hours: float
    token_minutes: float
    max_login_failures: int
    lockout_minutes: float
    max_upload_mb: float
    max_batch_rows: int
    db_pool_size: int
    db_max_overflow: int
    log_queue_size: int
    log_max_delay_ms: float
    currency: str
    workers: int

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit in bytes: a megabyte is 10^6 bytes everywhere."""
        return int(self.max_upload_mb * 1_000_000)

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def _env_choice(environ: Mapping[str, str]) -> Environment:
    value = environ.get("CREDIT_APP_ENV", "demo").strip().lower()
    if value not in ("demo", "production"):
        raise ConfigError(f"CREDIT_APP_ENV must be 'demo' or 'production', got {value!r}")
    return value  # type: ignore[return-value]


def _number(environ: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum:g}, got {raw!r}")
    return value


def _database_url(environ: Mapping[str, str], data_dir: Path) -> str:
    raw = environ.get("CREDIT_APP_DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{(data_dir / 'credit_app.db').as_posix()}"
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            f"CREDIT_APP_DATABASE_URL is not a database URL: {raw!r} "
            "(expected sqlite:///path/to/file.db or postgresql://user:password@host:5432/name)"
        ) from None
    if url.drivername not in SUPPORTED_DRIVERS:
        raise ConfigError(
            f"CREDIT_APP_DATABASE_URL uses unsupported driver {url.drivername!r} "
            f"(supported: {', '.join(SUPPORTED_DRIVERS)})"
        )
    if url.drivername.startswith("postgresql"):
        if not url.database:
            raise ConfigError("CREDIT_APP_DATABASE_URL names no database (.../DATABASE_NAME)")
        # SQLAlchemy's default PostgreSQL driver is psycopg 3; the product ships psycopg2.
        return url.set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    return raw


def _secret_key(environ: Mapping[str, str], env: Environment, data_dir: Path) -> str:
    raw = environ.get("CREDIT_APP_SECRET_KEY", "").strip()
    if raw:
        if raw.lower() in PLACEHOLDER_SECRETS:
            raise ConfigError("CREDIT_APP_SECRET_KEY is a placeholder: set a random secret")
        if len(raw) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"CREDIT_APP_SECRET_KEY is too short ({len(raw)} characters, "
                f"need at least {MIN_SECRET_LENGTH})"
            )
        return raw
    if env == "production":
        raise ConfigError(
            "CREDIT_APP_SECRET_KEY is required when CREDIT_APP_ENV=production "
            '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    return _local_demo_secret(data_dir)


def _local_demo_secret(data_dir: Path) -> str:
    """Demo mode: a random secret generated once and kept under the data directory."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as exc:
        raise ConfigError(
            f"CREDIT_APP_DATA_DIR {str(data_dir)!r} is not writable ({exc.strerror})"
        ) from None
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting; raise ConfigError naming the first bad variable."""
    environ = os.environ if environ is None else environ
    env = _env_choice(environ)
    data_dir = Path(environ.get("CREDIT_APP_DATA_DIR", "data")).expanduser().absolute()
    model_dir = Path(environ.get("CREDIT_APP_MODEL_DIR", "") or data_dir / "model")
    redis_url = environ.get("CREDIT_APP_REDIS_URL", "").strip() or None
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"CREDIT_APP_REDIS_URL must start with redis://, got {redis_url!r}")
    return Settings(
        env=env,
        data_dir=data_dir,
        database_url=_database_url(environ, data_dir),
        secret_key=_secret_key(environ, env, data_dir),
        model_dir=model_dir.expanduser().absolute(),
        redis_url=redis_url,
        port=int(_number(environ, "CREDIT_APP_PORT", 3000, minimum=1)),
        session_hours=_number(environ, "CREDIT_APP_SESSION_HOURS", 8, minimum=0.01),
        token_minutes=_number(environ, "CREDIT_APP_TOKEN_MINUTES", 30, minimum=1),
        max_login_failures=int(_number(environ, "CREDIT_APP_MAX_LOGIN_FAILURES", 5, minimum=1)),
        lockout_minutes=_number(environ, "CREDIT_APP_LOCKOUT_MINUTES", 15, minimum=0),
        max_upload_mb=_number(environ, "CREDIT_APP_MAX_UPLOAD_MB", 50, minimum=0.001),
        max_batch_rows=int(_number(environ, "CREDIT_APP_MAX_BATCH_ROWS", 100_000, minimum=1)),
        db_pool_size=int(_number(environ, "CREDIT_APP_DB_POOL_SIZE", 20, minimum=1)),
        db_max_overflow=int(_number(environ, "CREDIT_APP_DB_MAX_OVERFLOW", 30, minimum=0)),
        log_queue_size=int(_number(environ, "CREDIT_APP_LOG_QUEUE_SIZE", 1000, minimum=1)),
        log_max_delay_ms=_number(environ, "CREDIT_APP_LOG_MAX_DELAY_MS", 0, minimum=0),
        currency=_currency(environ),
        workers=_workers(environ, redis_url),
    )


def default_workers() -> int:
    """One worker per core plus one: each adds 50-60 MiB (its model, pools, heap) and, on 2
    cores, scoring grew 1.14x at 2 workers and 1.27x at 3 (docs/scaling.md); Reflex's own
    2 x cores + 1 adds processes contending for the same cores."""
    return (os.cpu_count() or 1) + 1


def _workers(environ: Mapping[str, str], redis_url: str | None) -> int:
    """Worker processes: several need Redis, where Reflex keeps the state they share."""
    workers = int(_number(environ, "CREDIT_APP_WORKERS", default_workers(), minimum=1))
    if redis_url is not None:
        return workers
    if workers > 1 and environ.get("CREDIT_APP_WORKERS", "").strip():
        raise ConfigError(
            f"CREDIT_APP_WORKERS={workers} needs CREDIT_APP_REDIS_URL: without Redis the app "
            "runs one worker (the pages' state lives in that process)"
        )
    return 1


def _currency(environ: Mapping[str, str]) -> str:
    value = environ.get("CREDIT_APP_CURRENCY", "").strip().upper() or "EUR"
    if len(value) != 3 or not value.isalpha():
        raise ConfigError(
            f"CREDIT_APP_CURRENCY must be a three-letter ISO 4217 code such as EUR, got {value!r}"
        )
    return value
