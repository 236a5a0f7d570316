"""User accounts: creation, sign-in with lock-out, look-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from credit_app.db.models import User, UserPublic
from credit_app.db.types import utcnow
from credit_app.domain import AuditAction, Role
from credit_app.services import audit
from credit_app.services.actors import Actor, Permission, user_actor
from credit_app.services.errors import AuthenticationFailed, Conflict, InvalidInput
from credit_app.services.passwords import (
    DUMMY_HASH,
    MAX_PASSWORD_BYTES,
    MIN_PASSWORD_LENGTH,
    hash_password,
    verify_password,
)

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{3,64}$")


def wrong_credentials() -> AuthenticationFailed:
    return AuthenticationFailed("Wrong username or password.", key="error.wrong_credentials")


def account_locked() -> AuthenticationFailed:
    return AuthenticationFailed(
        "This account is locked after too many failed sign-ins. Try again later.",
        key="error.account_locked",
    )


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


def _check_new_credentials(username: str, password: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "username must be 3-64 characters: letters, digits, dot, underscore or hyphen"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise InvalidInput(f"password must be at most {MAX_PASSWORD_BYTES} bytes")


def create_user(
    session: Session, actor: Actor, *, username: str, password: str, role: Role | str
) -> UserPublic:
    """Create an active user; the password is stored as a bcrypt hash only."""
    actor.require(Permission.manage_users)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}") from None
    _check_new_credentials(username, password)
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"user {username!r} already exists")
    user = User(username=username, role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, AuditAction.user_create, target=f"user:{user.id}", role=role)
    return UserPublic.model_validate(user, from_attributes=True)


@dataclass(frozen=True)
class SignInResult:
    """Either a user or a message to show; failures are recorded, so this does not raise."""

    user: UserPublic | None
    error: AuthenticationFailed | None = None


def authenticate(
    session: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    policy: LockoutPolicy = LockoutPolicy(),
) -> SignInResult:
    """Check credentials; count failures and lock the account after too many in a row.

    `actor` is whoever tries (not signed in yet); events about a known account name it."""
    now = utcnow()
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.id is None:
        verify_password(password, DUMMY_HASH)
        audit.record(session, actor, AuditAction.login_failed, username=username[:64])
        return SignInResult(None, wrong_credentials())
    account = user_actor(user.id, user.username, user.role)
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, account, AuditAction.login_locked)
        return SignInResult(None, account_locked())
    if not verify_password(password, user.password_hash) or not user.active:
        user.failed_attempts += 1
        if user.failed_attempts >= policy.max_failures:
            user.locked_until = now + policy.lock_for
            user.failed_attempts = 0
        session.add(user)
        audit.record(session, account, AuditAction.login_failed)
        return SignInResult(None, wrong_credentials())
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(session, account, AuditAction.login)
    return SignInResult(UserPublic.model_validate(user, from_attributes=True))


def get_active_user(session: Session, user_id: int) -> UserPublic | None:
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return UserPublic.model_validate(user, from_attributes=True)
