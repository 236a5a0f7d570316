"""Helpers shared by the command modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from credit_app.config import ConfigError, Settings, load_settings
from credit_app.db.migrations import DatabaseError, upgrade
from credit_app.services.actors import system_actor

if TYPE_CHECKING:
    from credit_app.services.container import Services

#: The command line in the audit trail.
CLI = system_actor("cli")


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 2, no traceback."""


def settings_or_exit() -> Settings:
    """Validated settings, or a CommandError naming the bad variable."""
    try:
        return load_settings()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def services_or_exit() -> Services:
    """Settings read and checked, the database migrated, and the services built on them."""
    from credit_app.services.container import build_services  # LightGBM, pandas: seconds

    settings = settings_or_exit()
    migrate_or_exit(settings)
    return build_services(settings)


def migrate_or_exit(settings: Settings) -> None:
    try:
        upgrade(settings.database_url)
    except DatabaseError as exc:
        raise CommandError(f"CREDIT_APP_DATABASE_URL: {exc}") from None
