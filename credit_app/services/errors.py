"""Errors the services raise; the API and the pages translate them for their users."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: the message is safe to show to the caller."""

    code = "error"


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    code = "conflict"


class InvalidInput(ServiceError):
    code = "invalid_input"


class AuthenticationFailed(ServiceError):
    code = "authentication_failed"


class PermissionDenied(ServiceError):
    code = "forbidden"
