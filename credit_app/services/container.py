"""The composition root: settings, database, model store and every service, built once per
process and handed to the API routes and the Reflex states.

`build_services(settings)` builds a new set (tests build their own from their settings);
`current_services()` is the process's set, built on first use from the environment;
`use_services` installs a set as the process's (a test driving page states without a
browser, the served app with settings of its own)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session

from credit_app.config import Settings, load_settings
from credit_app.db.engine import Database
from credit_app.services.batches import BatchScoring, UploadRule
from credit_app.services.credential_cache import CredentialCache
from credit_app.services.models import ModelStore
from credit_app.services.prediction_log import PredictionLog
from credit_app.services.scoring import ScoringService
from credit_app.services.sessions import SessionPolicy
from credit_app.services.state_store import StateStore

T = TypeVar("T")


@dataclass
class Services:
    settings: Settings
    database: Database
    models: ModelStore
    scoring: ScoringService
    batches: BatchScoring
    sessions: SessionPolicy
    state_store: StateStore
    credentials: CredentialCache

    def session(self) -> AbstractContextManager[Session]:
        """A database session that commits on success: use cases take it first."""
        return self.database.session()

    def call(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`use_case(session, *args, **kwargs)` in a session of its own, committed after: the
        one way pages and routes hand a use case to a worker thread."""
        with self.session() as session:
            return use_case(session, *args, **kwargs)

    def close(self) -> None:
        """Finish the batches, commit the queued prediction records, close the pool."""
        self.batches.shutdown()
        self.scoring.log.close()
        self.database.dispose()
        self.state_store.close()


def build_services(settings: Settings) -> Services:
    database = Database(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    models = ModelStore(settings.model_dir)
    log = PredictionLog(
        database,
        settings.secret_key,
        queue_size=settings.log_queue_size,
        max_delay_ms=settings.log_max_delay_ms,
    )
    scoring = ScoringService(models, log)
    batches = BatchScoring(database, scoring, UploadRule.of(settings))
    return Services(
        settings,
        database,
        models,
        scoring,
        batches,
        SessionPolicy.of(settings),
        StateStore(settings.redis_url),
        CredentialCache(),
    )


_current: Services | None = None
_lock = threading.Lock()


def current_services() -> Services:
    """This process's services (settings read from the environment on first use)."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = build_services(load_settings())
    return _current


def close_current_services() -> None:
    """Close this process's services if they were built (the app is stopping)."""
    global _current
    with _lock:
        services, _current = _current, None
    if services is not None:
        services.close()


@contextmanager
def use_services(services: Services) -> Iterator[Services]:
    """Make `services` the process's for the duration; the previous set comes back after."""
    global _current
    with _lock:
        previous, _current = _current, services
    try:
        yield services
    finally:
        with _lock:
            _current = previous
