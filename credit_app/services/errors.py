"""Errors the services raise; the API and the pages translate them for their users.

Each error has an English message (the API's and the logs') and a catalogue key with its
parameters, from which a page says the same in the reader's language."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class: the message is safe to show to the caller."""

    code = "error"
    recorded = False  # already written to the prediction log

    def __init__(self, message: str, *, key: str = "", **params: Any) -> None:
        super().__init__(message)
        # Without a key of its own, an error is told by its kind, with the English text.
        self.key = key or f"error.{self.code}"
        self.params: dict[str, Any] = params if key else {"message": message}


class NotFound(ServiceError):
    code = "not_found"


class Conflict(ServiceError):
    code = "conflict"


class InvalidInput(ServiceError):
    """Bad input; `details` names each field (and line, for files) and what is wrong."""

    code = "invalid_input"

    def __init__(
        self, message: str, details: list[dict] | None = None, *, key: str = "", **params: Any
    ) -> None:
        super().__init__(message, key=key, **params)
        self.details = details or []


class TooLarge(ServiceError):
    code = "too_large"


class Unavailable(ServiceError):
    """A dependency (the model, the database) is not ready."""

    code = "unavailable"


class LogUnavailable(Unavailable):
    """The prediction log cannot take a record now (queue full, database away): the score
    is not given, since every decision returned is recorded first."""

    code = "log_unavailable"


class AuthenticationFailed(ServiceError):
    code = "authentication_failed"


class PermissionDenied(ServiceError):
    code = "forbidden"

    def __init__(self, role: Any, permission: Any) -> None:
        if role is None:
            super().__init__("sign in first", key="error.sign_in_first")
            return
        words = str(permission).replace("_", " ")
        super().__init__(
            f"the {role} role may not {words}",
            key="error.forbidden",
            role=role,
            permission=permission,
        )


class SessionEnded(ServiceError):
    """A page's session is over: signed out elsewhere, expired, or the account changed."""

    code = "session_ended"

    def __init__(self) -> None:
        super().__init__("your session has ended: sign in again", key="error.session_ended")
