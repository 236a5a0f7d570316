"""Words every layer shares: roles, channels, kinds of actor, decisions, audit actions.

The bottom of the package: it imports nothing of the project, and pages may use it where
they may not use `db` or `ml`."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    officer = "officer"
    analyst = "analyst"
    admin = "admin"


class Channel(StrEnum):
    ui = "ui"
    api = "api"
    batch = "batch"


class ActorKind(StrEnum):
    user = "user"
    api_client = "api_client"
    system = "system"
    anonymous = "anonymous"  # someone not signed in yet (a sign-in attempt)


class Decision(StrEnum):
    approve = "approve"
    refuse = "refuse"


class AuditAction(StrEnum):
    """Every kind of event in the audit trail; the values are what the table stores."""

    login = "login"
    login_failed = "login.failed"
    login_locked = "login.locked"
    logout = "logout"
    user_create = "user.create"
    apikey_create = "apikey.create"
    clients_import = "clients.import"
    client_export = "client.export"
    client_erase = "client.erase"
    outcomes_record = "outcomes.record"
