"""GET /model: the model card of the model in service."""

from __future__ import annotations

from fastapi import APIRouter

from credit_app.api.deps import ActorDep, ServicesDep
from credit_app.services import model_card

router = APIRouter(tags=["model"])


@router.get(
    "/model",
    response_model=model_card.PublicCard,
    summary="The model card: version, threshold, metrics, features",
)
def card(actor: ActorDep, services: ServicesDep) -> model_card.PublicCard:
    with services.session() as session:
        return model_card.public_card(session, actor, services.models)
