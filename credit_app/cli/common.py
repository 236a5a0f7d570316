"""Helpers shared by the command modules."""

from __future__ import annotations

from credit_app.config import ConfigError, Settings, load_settings
from credit_app.db.migrations import DatabaseError, upgrade


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 2, no traceback."""


def settings_or_exit() -> Settings:
    """Validated settings, or a CommandError naming the bad variable."""
    try:
        return load_settings()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def migrate_or_exit(settings: Settings) -> None:
    try:
        upgrade(settings.database_url)
    except DatabaseError as exc:
        raise CommandError(f"CREDIT_APP_DATABASE_URL: {exc}") from None
