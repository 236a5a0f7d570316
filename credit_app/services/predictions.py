"""Reading the prediction records: for analysts and admins, clients as pseudonyms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from credit_app.db.models import Client, Prediction
from credit_app.domain import Channel
from credit_app.ml.schema import is_valid_id
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import NotFound

MAX_PAGE = 500


@dataclass
class PredictionRecord:
    prediction_id: str
    created_at: datetime
    client: str | None  # pseudonym: analysts never see the client's id
    actor: str
    channel: str
    model_version: str | None
    probability: float | None
    decision: str | None
    threshold: float | None
    latency_ms: float
    status: int
    error: str | None


@dataclass
class PredictionPage:
    items: list[PredictionRecord]
    total: int
    limit: int
    offset: int


def _record(prediction: Prediction, client_pseudonym: str | None) -> PredictionRecord:
    return PredictionRecord(
        prediction_id=prediction.id,
        created_at=prediction.created_at,
        client=client_pseudonym,
        actor=f"{prediction.actor_kind}:{prediction.actor_name}",
        channel=prediction.channel,
        model_version=prediction.model_version,
        probability=prediction.probability,
        decision=prediction.decision,
        threshold=prediction.threshold,
        latency_ms=prediction.latency_ms,
        status=prediction.status,
        error=prediction.error,
    )


def list_predictions(
    session: Session,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    client: str | None = None,
    decision: str | None = None,
    channel: Channel | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PredictionPage:
    """Newest first; `client` is a pseudonym."""
    actor.require(Permission.view_predictions)
    limit = max(1, min(limit, MAX_PAGE))
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(col(Prediction.created_at) >= since)
    if until is not None:
        conditions.append(col(Prediction.created_at) < until)
    if client:
        client_ids = select(Client.id).where(Client.pseudonym == client)
        conditions.append(col(Prediction.client_id).in_(client_ids))
    if decision:
        conditions.append(col(Prediction.decision) == decision)
    if channel:
        conditions.append(col(Prediction.channel) == channel)
    total = session.exec(select(func.count()).select_from(Prediction).where(*conditions)).one()
    # The page's ids first, from the listing indexes alone; then only those rows are read
    # (sorting whole rows, inputs included, took 10 s at a million predictions).
    newest_first = (col(Prediction.created_at).desc(), col(Prediction.id).desc())
    page_ids = (
        select(Prediction.id).where(*conditions).order_by(*newest_first).limit(limit).offset(offset)
    )
    rows = session.exec(
        select(Prediction, Client.pseudonym)
        .join(Client, col(Client.id) == col(Prediction.client_id), isouter=True)
        .where(col(Prediction.id).in_(page_ids.scalar_subquery()))
        .order_by(*newest_first)
    ).all()
    return PredictionPage([_record(p, pseudo) for p, pseudo in rows], total, limit, max(0, offset))


def get_prediction(session: Session, actor: Actor, prediction_id: str) -> PredictionRecord:
    actor.require(Permission.view_predictions)
    row = session.exec(
        select(Prediction, Client.pseudonym)
        .join(Client, col(Client.id) == col(Prediction.client_id), isouter=True)
        .where(Prediction.id == prediction_id)
    ).first()
    if row is None:
        raise NotFound(f"no prediction {prediction_id!r}")
    return _record(*row)


def client_history(
    session: Session, actor: Actor, sk_id_curr: int, limit: int = 50
) -> list[PredictionRecord]:
    """A client's own decisions, newest first, for the officers who serve them."""
    actor.require(Permission.view_clients)
    if not is_valid_id(sk_id_curr):
        return []
    rows = session.exec(
        select(Prediction, Client.pseudonym)
        .join(Client, col(Client.id) == col(Prediction.client_id))
        .where(Client.sk_id_curr == sk_id_curr, Prediction.status == 200)
        .order_by(col(Prediction.created_at).desc())
        .limit(limit)
    ).all()
    return [_record(p, pseudo) for p, pseudo in rows]


@dataclass
class RecentDecision:
    """One of the signed-in officer's own recorded decisions, for their home page."""

    sk_id_curr: int
    created_at: datetime
    probability: float
    decision: str


def recent_decisions(session: Session, actor: Actor, limit: int = 8) -> list[RecentDecision]:
    """The actor's latest decisions on clients on file, newest first."""
    actor.require(Permission.view_clients)
    rows = session.exec(
        select(
            Client.sk_id_curr, Prediction.created_at, Prediction.probability, Prediction.decision
        )
        .join(Client, col(Client.id) == col(Prediction.client_id))
        .where(
            col(Prediction.actor_kind) == actor.kind,
            col(Prediction.actor_id) == actor.id,
            col(Prediction.status) == 200,
            col(Client.sk_id_curr).is_not(None),
        )
        .order_by(col(Prediction.created_at).desc())
        .limit(max(1, min(limit, 50)))
    ).all()
    return [RecentDecision(*row) for row in rows]
