"""`credit-app db upgrade|current`: the database schema."""

from __future__ import annotations

import argparse

from credit_app.cli.common import migrate_or_exit, settings_or_exit
from credit_app.db.migrations import current_revision, describe, head_revision


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help="apply every pending migration").set_defaults(handler=_upgrade)
    db.add_parser("current", help="show the schema revision").set_defaults(handler=_current)


def _upgrade(_args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    migrate_or_exit(settings)
    print(f"Database {describe(settings.database_url)} is at revision {head_revision()}.")
    return 0


def _current(_args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    migrate_or_exit(settings)
    print(current_revision(settings.database_url) or "empty")
    return 0
