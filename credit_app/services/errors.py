"""Errors the services raise; the API and the pages translate them for their users."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: the message is safe to show to the caller."""

    code = "error"
    recorded = False  # already written to the prediction log


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    code = "conflict"


class InvalidInput(ServiceError):
    """Bad input; `details` names each field (and line, for files) and what is wrong."""

    code = "invalid_input"

    def __init__(self, message: str, details: list[dict] | None = None) -> None:
        super().__init__(message)
        self.details = details or []


class TooLarge(ServiceError):
    code = "too_large"


class Unavailable(ServiceError):
    """A dependency (the model, the database) is not ready."""

    code = "unavailable"


class AuthenticationFailed(ServiceError):
    code = "authentication_failed"


class PermissionDenied(ServiceError):
    code = "forbidden"
