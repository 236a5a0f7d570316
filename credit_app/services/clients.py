"""Clients: import from Home Credit files, search, read, export (right of access), erase."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from credit_app.db.models import Client, Outcome, Prediction
from credit_app.db.types import utcnow
from credit_app.domain import AuditAction
from credit_app.ml.schema import (
    APPLICATION_COLUMNS,
    ID_COLUMN,
    SCHEMA_STAMP,
    TARGET_COLUMN,
    is_valid_id,
)
from credit_app.services import audit
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import NotFound
from credit_app.services.values import json_fields

IMPORT_CHUNK = 1000
MAX_PAGE = 200


def client_id(text: str) -> int | None:
    """The SK_ID_CURR a person typed or a URL holds, if it can be one."""
    text = text.strip()
    if not text.isdigit() or len(text) > 12 or not is_valid_id(int(text)):
        return None
    return int(text)


def pseudonym(secret: str, sk_id_curr: int) -> str:
    """A stable identifier for analysts that does not reveal the client's id."""
    digest = hmac.new(secret.encode(), str(sk_id_curr).encode(), hashlib.sha256).hexdigest()
    return f"c-{digest[:16]}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    outcomes: int = 0


def import_clients(
    session: Session, actor: Actor, frame: pd.DataFrame, *, secret: str
) -> ImportReport:
    """Upsert clients by SK_ID_CURR; a TARGET column is recorded as realised outcomes."""
    actor.require(Permission.view_clients)
    report = ImportReport()
    has_target = TARGET_COLUMN in frame
    # The labels are Home Credit column names, where pandas' types only promise Hashable.
    records = typing.cast("list[dict[str, Any]]", frame.to_dict(orient="records"))
    for start in range(0, len(records), IMPORT_CHUNK):
        chunk = records[start : start + IMPORT_CHUNK]
        ids = [int(r[ID_COLUMN]) for r in chunk]
        existing = {
            c.sk_id_curr: c
            for c in session.exec(select(Client).where(col(Client.sk_id_curr).in_(ids)))
        }
        touched: list[tuple[Client, Any]] = []
        for row in chunk:
            sk_id = int(row[ID_COLUMN])
            client = existing.get(sk_id)
            if client is None:
                client = Client(sk_id_curr=sk_id, pseudonym=pseudonym(secret, sk_id))
                existing[sk_id] = client
                report.created += 1
            else:
                report.updated += 1
            set_application(client, json_fields(row, APPLICATION_COLUMNS))
            session.add(client)
            touched.append((client, row.get(TARGET_COLUMN) if has_target else None))
        session.flush()
        report.outcomes += _record_targets(session, actor, touched)
    audit.record(
        session,
        actor,
        AuditAction.clients_import,
        created=report.created,
        updated=report.updated,
        outcomes=report.outcomes,
    )
    return report


def set_application(client: Client, fields: dict[str, Any]) -> None:
    """Store an application's values on its client, with the columns listings search.

    The values must have been validated (`load_applications`, `validate_applicant`): they
    are stamped with today's rules, and scoring trusts what carries the stamp."""
    client.application = fields
    client.application_schema = SCHEMA_STAMP
    client.contract_type = fields.get("NAME_CONTRACT_TYPE")
    client.income_total = fields.get("AMT_INCOME_TOTAL")
    client.amt_credit = fields.get("AMT_CREDIT")
    client.updated_at = utcnow()
    client.erased_at = None


def _record_targets(session: Session, actor: Actor, touched: list[tuple[Client, Any]]) -> int:
    """Add an outcome where the file's TARGET differs from the client's latest one."""
    with_target = [(c, t) for c, t in touched if t is not None and not pd.isna(t)]
    if not with_target:
        return 0
    latest = latest_outcomes(session, [c.id for c, _ in with_target])
    added = 0
    for client, target in with_target:
        assert client.id is not None  # the caller flushed every touched client
        defaulted = bool(int(target))
        if latest.get(client.id) != defaulted:
            session.add(Outcome(client_id=client.id, defaulted=defaulted, recorded_by=actor.label))
            added += 1
    return added


def latest_outcomes(session: Session, client_ids: Iterable[int | None]) -> dict[int, bool]:
    rows = session.exec(
        select(Outcome)
        .where(col(Outcome.client_id).in_([i for i in client_ids if i is not None]))
        .order_by(col(Outcome.recorded_at), col(Outcome.id))
    )
    return {row.client_id: row.defaulted for row in rows}


@dataclass
class ClientSummary:
    sk_id_curr: int
    contract_type: str | None
    income_total: float | None
    amt_credit: float | None
    last_probability: float | None
    last_decision: str | None
    last_scored_at: datetime | None


@dataclass
class ClientPage:
    items: list[ClientSummary]
    total: int
    limit: int
    offset: int


def _summary_fields(client: Client) -> dict[str, Any]:
    return {
        "sk_id_curr": client.sk_id_curr or 0,
        "contract_type": client.contract_type,
        "income_total": client.income_total,
        "amt_credit": client.amt_credit,
        "last_probability": client.last_probability,
        "last_decision": client.last_decision,
        "last_scored_at": client.last_scored_at,
    }


def search_clients(
    session: Session,
    actor: Actor,
    *,
    q: str = "",
    decision: str | None = None,
    contract_type: str | None = None,
    min_income: float | None = None,
    max_income: float | None = None,
    min_probability: float | None = None,
    max_probability: float | None = None,
    limit: int = 20,
    offset: int = 0,
) -> ClientPage:
    """Clients matching an id prefix or a contract type, and the given filters; paginated."""
    actor.require(Permission.view_clients)
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    query = select(Client).where(col(Client.erased_at).is_(None))
    text = q.strip()
    if text:
        pattern = f"{text}%"
        query = query.where(
            or_(
                cast(Client.sk_id_curr, String).like(pattern),
                func.lower(Client.contract_type).like(f"%{text.lower()}%"),
            )
        )
    if decision:
        query = query.where(Client.last_decision == decision)
    if contract_type:
        query = query.where(Client.contract_type == contract_type)
    for column, bound, lower in (
        (col(Client.income_total), min_income, True),
        (col(Client.income_total), max_income, False),
        (col(Client.last_probability), min_probability, True),
        (col(Client.last_probability), max_probability, False),
    ):
        if bound is not None:
            query = query.where(column >= bound if lower else column <= bound)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Client.sk_id_curr)).limit(limit).offset(offset)).all()
    return ClientPage([ClientSummary(**_summary_fields(c)) for c in rows], total, limit, offset)


@dataclass
class ClientDetail(ClientSummary):
    application: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _find(session: Session, sk_id_curr: int) -> Client:
    client = None
    if is_valid_id(sk_id_curr):  # larger numbers do not fit the column: no such client
        client = session.exec(select(Client).where(Client.sk_id_curr == sk_id_curr)).first()
    if client is None or client.erased_at is not None:
        raise NotFound(
            f"no client with SK_ID_CURR {sk_id_curr}",
            key="error.no_such_client",
            client=str(sk_id_curr),
        )
    return client


def get_client(session: Session, actor: Actor, sk_id_curr: int) -> ClientDetail:
    actor.require(Permission.view_clients)
    client = _find(session, sk_id_curr)
    return ClientDetail(
        **_summary_fields(client),
        application=dict(client.application or {}),
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


def export_client(session: Session, actor: Actor, sk_id_curr: int) -> dict[str, Any]:
    """Everything held about one client (right of access)."""
    actor.require(Permission.export_client)
    client = _find(session, sk_id_curr)
    predictions = session.exec(
        select(Prediction)
        .where(Prediction.client_id == client.id)
        .order_by(col(Prediction.created_at))
    ).all()
    outcomes = session.exec(
        select(Outcome).where(Outcome.client_id == client.id).order_by(col(Outcome.recorded_at))
    ).all()
    audit.record(session, actor, AuditAction.client_export, target=client.pseudonym)
    return {
        "sk_id_curr": client.sk_id_curr,
        "application": client.application,
        "created_at": client.created_at.isoformat(),
        "updated_at": client.updated_at.isoformat(),
        "predictions": [
            {
                "prediction_id": p.id,
                "created_at": p.created_at.isoformat(),
                "channel": p.channel,
                "model_version": p.model_version,
                "inputs": p.inputs,
                "probability": p.probability,
                "decision": p.decision,
                "threshold": p.threshold,
            }
            for p in predictions
        ],
        "outcomes": [
            {"defaulted": o.defaulted, "recorded_at": o.recorded_at.isoformat()} for o in outcomes
        ],
    }


def erase_client(session: Session, actor: Actor, sk_id_curr: int) -> str:
    """Erase the application data and prediction inputs; decisions stay, pseudonymised."""
    actor.require(Permission.erase_client)
    client = _find(session, sk_id_curr)
    for prediction in session.exec(select(Prediction).where(Prediction.client_id == client.id)):
        prediction.inputs = None
        prediction.bins = None  # its bins too: coarse, but still the person's values
        session.add(prediction)
    client.sk_id_curr = None
    # A random pseudonym: the kept decisions can no longer be linked back to the person.
    client.pseudonym = f"e-{secrets.token_hex(8)}"
    client.application = None
    client.income_total = client.amt_credit = None
    client.erased_at = utcnow()
    session.add(client)
    audit.record(session, actor, AuditAction.client_erase, target=client.pseudonym)
    return client.pseudonym
