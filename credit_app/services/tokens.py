"""Signed, short-lived tokens: browser sessions and API bearer tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from credit_app.db.models import UserPublic
from credit_app.db.types import utcnow
from credit_app.domain import Role

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    username: str
    role: Role
    purpose: str
    expires_at: datetime
    session_id: str | None = None  # browser sessions: the UserSession row it belongs to


class InvalidToken(Exception):
    """Expired, tampered with, or issued for another purpose."""


def issue_token(
    *,
    secret: str,
    user_id: int,
    username: str,
    role: Role,
    purpose: str,
    lifetime: timedelta,
    session_id: str | None = None,
) -> str:
    now = utcnow()
    payload: dict[str, str | int] = {
        "sub": str(user_id),
        "name": username,
        "role": str(role),
        "pur": purpose,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
    }
    if session_id is not None:
        payload["sid"] = session_id
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def token_for(
    user: UserPublic,
    secret: str,
    purpose: str,
    lifetime: timedelta,
    session_id: str | None = None,
) -> str:
    return issue_token(
        secret=secret,
        user_id=user.id,
        username=user.username,
        role=user.role,
        purpose=purpose,
        lifetime=lifetime,
        session_id=session_id,
    )


def read_token(token: str, *, secret: str, purpose: str) -> TokenClaims:
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
        if payload.get("pur") != purpose:
            raise InvalidToken("token issued for another purpose")
        return TokenClaims(
            user_id=int(payload["sub"]),
            username=str(payload["name"]),
            role=Role(payload["role"]),
            purpose=purpose,
            expires_at=datetime.fromtimestamp(payload["exp"]).astimezone(),
            session_id=str(payload["sid"]) if "sid" in payload else None,
        )
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken(str(exc)) from None
