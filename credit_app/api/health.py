"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from credit_app import __version__
from credit_app.api.deps import ServicesDep
from credit_app.api.errors import DATABASE_UNAVAILABLE, error_body
from credit_app.services.errors import ServiceError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str


class Ready(BaseModel):
    status: str
    model_version: str


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
def health() -> Health:
    return Health(status="ok", version=__version__)


@router.get(
    "/ready",
    response_model=Ready,
    summary="Readiness: database and Redis (if used) reachable, model loaded (503 otherwise)",
    responses={503: {"description": "not ready; the error says why"}},
)
def ready(services: ServicesDep) -> Ready | JSONResponse:
    try:
        with services.session() as session:
            session.exec(text("select 1"))
    except SQLAlchemyError:
        return JSONResponse(
            error_body(503, DATABASE_UNAVAILABLE, "the database is not reachable"), 503
        )
    state_problem = services.state_store.problem()
    if state_problem is not None:
        return JSONResponse(error_body(503, "state_store_unavailable", state_problem), 503)
    try:
        model = services.models.get()
    except ServiceError as exc:
        return JSONResponse(error_body(503, "model_unavailable", str(exc)), 503)
    return Ready(status="ready", model_version=model.version)
