"""The services of one process, built once from the settings and shared by API and pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session

from credit_app.config import Settings, get_settings
from credit_app.db.engine import session_scope
from credit_app.services.models import ModelStore
from credit_app.services.prediction_log import PredictionLog
from credit_app.services.scoring import ScoringService


@dataclass
class Services:
    settings: Settings
    models: ModelStore
    scoring: ScoringService

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.settings.database_url) as session:
            yield session


def build_services(settings: Settings) -> Services:
    models = ModelStore(settings.model_dir)
    log = PredictionLog(settings.database_url)
    return Services(settings, models, ScoringService(settings.database_url, models, log))


@lru_cache(maxsize=1)
def get_services() -> Services:
    """This process's services (settings read from the environment once)."""
    return build_services(get_settings())
