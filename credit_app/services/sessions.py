"""Browser sign-in sessions: credentials in, a signed session token out, and back again.

Each sign-in is a row in `user_sessions` named by the token's `sid` claim: a token resumes
only while its row is neither revoked (sign-out) nor expired, so signing out ends the
session on the server, not just in the browser that signed out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from credit_app.config import Settings
from credit_app.db.engine import session_scope
from credit_app.db.models import UserPublic, UserSession
from credit_app.db.types import utcnow
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
    """Check the credentials (recording the attempt) and open a session on success."""
    if not username or not password:
        return SessionStart(None, None, "Enter your username and password.")
    lifetime = timedelta(hours=settings.session_hours)
    with session_scope(settings.database_url) as session:
        result = users.authenticate(
            session, username=username, password=password, policy=lockout_policy(settings)
        )
        if result.user is None:
            return SessionStart(None, None, result.error)
        session_id = secrets.token_hex(16)
        expires_at = utcnow() + lifetime
        session.add(UserSession(id=session_id, user_id=result.user.id, expires_at=expires_at))
    token = tokens.token_for(
        result.user, settings.secret_key, SESSION_PURPOSE, lifetime, session_id
    )
    return SessionStart(result.user, token, None)


def _claims(settings: Settings, token: str) -> tokens.TokenClaims | None:
    if not token:
        return None
    try:
        return tokens.read_token(token, secret=settings.secret_key, purpose=SESSION_PURPOSE)
    except tokens.InvalidToken:
        return None


def _open_session(session: Session, claims: tokens.TokenClaims) -> UserSession | None:
    """The token's session row if it belongs to the token's user and is still open."""
    if claims.session_id is None:
        return None
    row = session.get(UserSession, claims.session_id)
    if row is None or row.user_id != claims.user_id or row.revoked_at is not None:
        return None
    return row if row.expires_at > utcnow() else None


def resume(settings: Settings, token: str) -> UserPublic | None:
    """The active user of an open session, or None if the token or its session is not valid."""
    claims = _claims(settings, token)
    if claims is None:
        return None
    with session_scope(settings.database_url) as session:
        if _open_session(session, claims) is None:
            return None
        return users.get_active_user(session, claims.user_id)


def sign_out(settings: Settings, token: str) -> None:
    """Revoke the token's session (if it is open) and record the sign-out."""
    claims = _claims(settings, token)
    if claims is None:
        return
    with session_scope(settings.database_url) as session:
        row = _open_session(session, claims)
        if row is None:
            return
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, actor=f"user:{claims.user_id}", action="logout")
