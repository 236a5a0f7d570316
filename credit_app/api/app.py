"""The FastAPI application: routers under /api/v1, one JSON error shape, OpenAPI docs."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from credit_app import __version__
from credit_app.api import auth, clients, health, model, predictions, scoring
from credit_app.api.errors import install_error_handlers
from credit_app.services.container import Services, get_services

API_PREFIX = "/api/v1"
DESCRIPTION = """
Default-risk scores, decisions and explanations for Home Credit-format applicants.

**Authenticate** with either
- an API key (`X-API-Key` header; an admin creates one with
  `credit-app apikeys create --name N --role officer`), or
- a bearer token from `POST /api/v1/auth/token` (OAuth2 password flow, a user's credentials).

**Roles**: officer (clients, scoring, batch, model card); analyst (model card, predictions,
outcomes); admin (everything, including export, erasure). Errors always have the shape
`{"error": {"status", "code", "message", "details": [{"field", "line", "message"}]}}`.
"""


def create_api(services: Callable[[], Services] = get_services) -> FastAPI:
    """The API; `services` builds (or returns) the process's services on first use."""
    api = FastAPI(
        title="Credit Risk Desk API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect",
        redoc_url=None,
    )
    api.state.services = services
    install_error_handlers(api)
    for module in (health, auth, clients, scoring, model, predictions):
        api.include_router(module.router, prefix=API_PREFIX)
    return api
