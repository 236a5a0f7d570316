"""Realised outcomes: did a scored client default? Monitoring measures the model with them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from credit_app.db.models import Client, Outcome
from credit_app.domain import AuditAction
from credit_app.ml.schema import is_valid_id
from credit_app.services import audit
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import InvalidInput


@dataclass
class OutcomeInput:
    client: str  # SK_ID_CURR (as text) or pseudonym
    defaulted: bool


def record_outcomes(session: Session, actor: Actor, items: Sequence[OutcomeInput]) -> int:
    """Record every outcome or none: unknown clients are reported together by position."""
    actor.require(Permission.record_outcomes)
    found: list[tuple[int, bool]] = []
    missing: list[dict] = []
    for position, item in enumerate(items):
        query = select(Client).where(Client.pseudonym == item.client)
        if item.client.isdigit() and is_valid_id(int(item.client)):
            query = select(Client).where(Client.sk_id_curr == int(item.client))
        client = session.exec(query).first()
        if client is None:
            missing.append(
                {"field": f"{position}.client", "message": f"unknown client {item.client!r}"}
            )
        else:
            assert client.id is not None  # a row read from the database
            found.append((client.id, item.defaulted))
    if missing:
        raise InvalidInput("some outcomes name unknown clients; none were recorded", missing)
    for client_id, defaulted in found:
        session.add(Outcome(client_id=client_id, defaulted=defaulted, recorded_by=actor.label))
    audit.record(session, actor, AuditAction.outcomes_record, count=len(found))
    return len(found)
