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
from credit_app.db.models import UserPublic, UserSession
from credit_app.db.types import utcnow
from credit_app.domain import AuditAction
from credit_app.services import audit, tokens, users
from credit_app.services.actors import Actor
from credit_app.services.errors import AuthenticationFailed

SESSION_PURPOSE = "session"
#: The browser cookie that carries the session token (set by the sign-in page).
SESSION_COOKIE = "credit_app_session"


@dataclass(frozen=True)
class SessionPolicy:
    """How sessions are signed, how long they last, and when failed sign-ins lock."""

    secret: str
    lifetime: timedelta
    lockout: users.LockoutPolicy

    @classmethod
    def of(cls, settings: Settings) -> SessionPolicy:
        return cls(
            secret=settings.secret_key,
            lifetime=timedelta(hours=settings.session_hours),
            lockout=users.LockoutPolicy(
                max_failures=settings.max_login_failures,
                lock_for=timedelta(minutes=settings.lockout_minutes),
            ),
        )


@dataclass(frozen=True)
class SessionStart:
    user: UserPublic | None
    token: str | None
    error: AuthenticationFailed | None


def sign_in(
    session: Session, actor: Actor, *, username: str, password: str, policy: SessionPolicy
) -> SessionStart:
    """Check the credentials (recording the attempt) and open a session on success."""
    if not username or not password:
        missing = AuthenticationFailed(
            "Enter your username and password.", key="error.credentials_missing"
        )
        return SessionStart(None, None, missing)
    result = users.authenticate(
        session, actor, username=username, password=password, policy=policy.lockout
    )
    if result.user is None:
        return SessionStart(None, None, result.error)
    session_id = secrets.token_hex(16)
    expires_at = utcnow() + policy.lifetime
    session.add(UserSession(id=session_id, user_id=result.user.id, expires_at=expires_at))
    token = tokens.token_for(
        result.user, policy.secret, SESSION_PURPOSE, policy.lifetime, session_id
    )
    return SessionStart(result.user, token, None)


def _claims(policy: SessionPolicy, token: str) -> tokens.TokenClaims | None:
    if not token:
        return None
    try:
        return tokens.read_token(token, secret=policy.secret, purpose=SESSION_PURPOSE)
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


def resume(session: Session, token: str, policy: SessionPolicy) -> UserPublic | None:
    """The active user of an open session, or None if the token or its session is not valid.

    Authentication finds the actor, so it takes the credentials (the token) instead of one."""
    claims = _claims(policy, token)
    if claims is None or _open_session(session, claims) is None:
        return None
    return users.get_active_user(session, claims.user_id)


def sign_out(session: Session, actor: Actor, token: str, policy: SessionPolicy) -> None:
    """Revoke the token's session (if it is open and the actor's) and record the sign-out."""
    claims = _claims(policy, token)
    if claims is None or claims.user_id != actor.id:
        return
    row = _open_session(session, claims)
    if row is None:
        return
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(session, actor, AuditAction.logout)
