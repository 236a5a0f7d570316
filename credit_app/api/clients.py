"""Clients: search, read, score, export (right of access) and erase (right to erasure)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from credit_app.api.deps import ActorDep, OffsetQuery, ServicesDep, SkIdPath
from credit_app.api.schemas import ErasedOut, ScoreOut, score_response
from credit_app.domain import Channel
from credit_app.services import clients

router = APIRouter(tags=["clients"])


@router.get("/clients", response_model=clients.ClientPage, summary="Search clients")
def search(
    actor: ActorDep,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=64, description="SK_ID_CURR prefix or contract type")] = "",
    decision: Literal["approve", "refuse"] | None = None,
    contract_type: Annotated[str | None, Query(max_length=32)] = None,
    min_income: Annotated[float | None, Query(ge=0)] = None,
    max_income: Annotated[float | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=clients.MAX_PAGE)] = 20,
    offset: OffsetQuery = 0,
) -> clients.ClientPage:
    with services.session() as session:
        page = clients.search_clients(
            session,
            actor,
            q=q,
            decision=decision,
            contract_type=contract_type,
            min_income=min_income,
            max_income=max_income,
            limit=limit,
            offset=offset,
        )
    return page


@router.get("/clients/{sk_id_curr}", response_model=clients.ClientDetail, summary="One client")
def read(sk_id_curr: SkIdPath, actor: ActorDep, services: ServicesDep) -> clients.ClientDetail:
    with services.session() as session:
        return clients.get_client(session, actor, sk_id_curr)


@router.post("/clients/{sk_id_curr}/score", response_model=ScoreOut, summary="Score a known client")
def score(
    sk_id_curr: SkIdPath, actor: ActorDep, services: ServicesDep, explain: bool = False
) -> Response:
    with services.session() as session:
        outcome = services.scoring.score_client(
            session, actor, sk_id_curr, channel=Channel.api, explain=explain
        )
    return score_response(outcome)


@router.get("/clients/{sk_id_curr}/export", summary="Everything held about a client (admin)")
def export(sk_id_curr: SkIdPath, actor: ActorDep, services: ServicesDep) -> dict[str, Any]:
    with services.session() as session:
        return clients.export_client(session, actor, sk_id_curr)


@router.delete(
    "/clients/{sk_id_curr}",
    response_model=ErasedOut,
    summary="Erase a client's data; decisions stay pseudonymised (admin)",
)
def erase(sk_id_curr: SkIdPath, actor: ActorDep, services: ServicesDep) -> ErasedOut:
    with services.session() as session:
        pseudonym = clients.erase_client(session, actor, sk_id_curr)
    return ErasedOut(erased=True, pseudonym=pseudonym)
