"""The FastAPI application: routers under /api/v1, one JSON error shape, OpenAPI docs."""

from __future__ import annotations

from collections.abc import Callable

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from credit_app import __version__
from credit_app.api import (
    auth,
    batches,
    clients,
    health,
    model,
    monitoring,
    predictions,
    scoring,
)
from credit_app.api.errors import install_error_handlers
from credit_app.services.container import Services, current_services

API_PREFIX = "/api/v1"
DOCS_URL = f"{API_PREFIX}/docs"
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


def create_api(services: Callable[[], Services] = current_services) -> FastAPI:
    """The API; `services` builds (or returns) the process's services on first use."""
    api = FastAPI(
        title="Credit Risk Desk API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below, from this machine rather than a CDN
        redoc_url=None,
    )
    api.state.services = services
    install_error_handlers(api)
    for module in (health, auth, clients, scoring, batches, model, predictions, monitoring):
        api.include_router(module.router, prefix=API_PREFIX)
    _serve_docs(api)
    return api


def _serve_docs(api: FastAPI) -> None:
    """Swagger UI at /api/v1/docs with its scripts and styles from the installed
    swagger-ui-bundle package, so the documentation works on a network without internet."""
    assets = f"{DOCS_URL}/assets"
    redirect = f"{DOCS_URL}/oauth2-redirect"
    api.mount(assets, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @api.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title=f"{api.title}: documentation",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
            oauth2_redirect_url=redirect,
        )

    @api.get(redirect, include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
