"""The append-only audit trail."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from credit_app.db.models import AuditEvent
from credit_app.domain import AuditAction
from credit_app.services.actors import Actor


def record(
    session: Session, actor: Actor, action: AuditAction, target: str | None = None, **details: Any
) -> AuditEvent:
    """Add an audit event to the session's transaction (committed with the change it records)."""
    event = AuditEvent(actor=actor.label, action=action, target=target, details=details)
    session.add(event)
    return event
