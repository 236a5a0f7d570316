"""One JSON error shape for every failure; no stack trace ever reaches a client."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from credit_app.db.engine import is_unreachable
from credit_app.services import errors

log = logging.getLogger(__name__)

STATUS_OF: dict[type[errors.ServiceError], int] = {
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.InvalidInput: 422,
    errors.AuthenticationFailed: 401,
    errors.PermissionDenied: 403,
    errors.TooLarge: 413,
    errors.Unavailable: 503,
}
DATABASE_UNAVAILABLE = "database_unavailable"
HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def error_body(status: int, code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def status_of(error: errors.ServiceError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]
    return 400


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(errors.ServiceError)
    async def service_error(_request: Request, exc: errors.ServiceError) -> JSONResponse:
        status = status_of(exc)
        details = getattr(exc, "details", None)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            error_body(status, exc.code, str(exc), details), status_code=status, headers=headers
        )

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
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

    @api.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        if not is_unreachable(exc):
            return await unexpected(request, exc)
        log.error("database unreachable on %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(
            error_body(503, DATABASE_UNAVAILABLE, "The database is not reachable; try again."),
            status_code=503,
        )

    @api.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body(500, "internal_error", "Internal error; it has been logged."),
            status_code=500,
        )
