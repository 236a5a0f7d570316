"""Browser sign-in sessions: credentials in, a signed session token out, and back again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from credit_app.config import Settings
from credit_app.db.engine import session_scope
from credit_app.db.models import UserPublic
from credit_app.services import audit, tokens, users

SESSION_PURPOSE = "session"


@dataclass(frozen=True)
class SessionStart:
    user: UserPublic | None
    token: str | None
    error: str | None


def lockout_policy(settings: Settings) -> users.LockoutPolicy:
    return users.LockoutPolicy(
        max_failures=settings.max_login_failures,
        lock_for=timedelta(minutes=settings.lockout_minutes),
    )


def sign_in(settings: Settings, username: str, password: str) -> SessionStart:
    """Check the credentials (recording the attempt) and issue a session token on success."""
    if not username or not password:
        return SessionStart(None, None, "Enter your username and password.")
    with session_scope(settings.database_url) as session:
        result = users.authenticate(
            session, username=username, password=password, policy=lockout_policy(settings)
        )
    if result.user is None:
        return SessionStart(None, None, result.error)
    token = tokens.token_for(
        result.user, settings.secret_key, SESSION_PURPOSE, timedelta(hours=settings.session_hours)
    )
    return SessionStart(result.user, token, None)


def resume(settings: Settings, token: str) -> UserPublic | None:
    """The active user a session token belongs to, or None if it is invalid or expired."""
    if not token:
        return None
    try:
        claims = tokens.read_token(token, secret=settings.secret_key, purpose=SESSION_PURPOSE)
    except tokens.InvalidToken:
        return None
    with session_scope(settings.database_url) as session:
        return users.get_active_user(session, claims.user_id)


def sign_out(settings: Settings, user_id: int) -> None:
    with session_scope(settings.database_url) as session:
        audit.record(session, actor=f"user:{user_id}", action="logout")
