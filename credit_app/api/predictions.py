"""Reading prediction records (analysts and admins) and recording realised outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from credit_app.api.deps import ActorDep, BrowserActorDep, OffsetQuery, ServicesDep
from credit_app.api.schemas import OutcomesIn, RecordedOut
from credit_app.domain import Channel
from credit_app.services import outcomes, predictions

router = APIRouter(tags=["predictions"])


@router.get("/predictions", response_model=predictions.PredictionPage, summary="Prediction records")
def search(
    actor: ActorDep,
    services: ServicesDep,
    since: datetime | None = None,
    until: datetime | None = None,
    client: Annotated[str | None, Query(max_length=24, description="pseudonym")] = None,
    decision: Literal["approve", "refuse"] | None = None,
    channel: Channel | None = None,
    limit: Annotated[int, Query(ge=1, le=predictions.MAX_PAGE)] = 50,
    offset: OffsetQuery = 0,
) -> predictions.PredictionPage:
    with services.session() as session:
        page = predictions.list_predictions(
            session,
            actor,
            since=since,
            until=until,
            client=client,
            decision=decision,
            channel=channel,
            limit=limit,
            offset=offset,
        )
    return page


@router.get(
    "/predictions/{prediction_id}",
    response_model=predictions.PredictionRecord,
    summary="One prediction (the monitoring pages link here: a signed-in browser may read it)",
)
def read(
    prediction_id: str, actor: BrowserActorDep, services: ServicesDep
) -> predictions.PredictionRecord:
    with services.session() as session:
        return predictions.get_prediction(session, actor, prediction_id)


@router.post(
    "/outcomes", response_model=RecordedOut, status_code=201, summary="Record realised defaults"
)
def record(body: OutcomesIn, actor: ActorDep, services: ServicesDep) -> RecordedOut:
    items = [outcomes.OutcomeInput(o.client, o.defaulted) for o in body.outcomes]
    with services.session() as session:
        recorded = outcomes.record_outcomes(session, actor, items)
    return RecordedOut(recorded=recorded)
