"""The FastAPI application: routers, one JSON error shape, OpenAPI under /api/v1."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from credit_app import __version__
from credit_app.api import health

API_PREFIX = "/api/v1"
log = logging.getLogger(__name__)


def error_body(status: int, code: str, message: str, details: list | None = None) -> dict:
    """The one error shape every route returns."""
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def _install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(exc.status_code, code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @api.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in err["loc"][1:]) or None, "message": err["msg"]}
            for err in exc.errors()
        ]
        return JSONResponse(
            error_body(422, "invalid_input", "The request is not valid.", details), status_code=422
        )

    @api.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body(500, "internal_error", "Internal error; it has been logged."),
            status_code=500,
        )


def create_api() -> FastAPI:
    api = FastAPI(
        title="Credit Risk Desk API",
        version=__version__,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect",
        redoc_url=None,
    )
    _install_error_handlers(api)
    api.include_router(health.router, prefix=API_PREFIX)
    return api
