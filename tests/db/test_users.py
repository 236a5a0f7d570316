"""Accounts and sign-in against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from credit_app.config import Settings
from credit_app.db.models import AuditEvent, User, UserPublic, UserSession
from credit_app.domain import Role
from credit_app.services import sessions, tokens, users
from credit_app.services.actors import ANONYMOUS, SYSTEM, user_actor
from credit_app.services.container import Services
from credit_app.services.errors import Conflict, InvalidInput, PermissionDenied

PASSWORD = "correct horse battery"


class Desk:
    """Sign-in use cases as a page calls them: each with a session of its own."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def sign_in(self, username: str, password: str) -> sessions.SessionStart:
        with self.services.session() as session:
            return sessions.sign_in(
                session,
                ANONYMOUS,
                username=username,
                password=password,
                policy=self.services.sessions,
            )

    def resume(self, token: str) -> UserPublic | None:
        with self.services.session() as session:
            return sessions.resume(session, token, self.services.sessions)

    def sign_out(self, started: sessions.SessionStart) -> None:
        assert started.user is not None and started.token
        actor = user_actor(started.user.id, started.user.username, started.user.role)
        with self.services.session() as session:
            sessions.sign_out(session, actor, started.token, self.services.sessions)


@pytest.fixture
def desk(services: Services) -> Desk:
    return Desk(services)


@pytest.fixture
def officer(services: Services) -> str:
    with services.session() as session:
        users.create_user(session, SYSTEM, username="olivia", password=PASSWORD, role=Role.officer)
    return "olivia"


def test_password_is_stored_as_bcrypt_hash_only(services: Services, officer: str) -> None:
    with services.session() as session:
        user = session.exec(select(User).where(User.username == officer)).one()
    assert user.password_hash.startswith("$2b$")
    assert PASSWORD not in user.password_hash
    assert user.role == Role.officer


def test_duplicate_and_invalid_users_are_refused(services: Services, officer: str) -> None:
    def create(username: str, password: str, role: str) -> None:
        with services.session() as session:
            users.create_user(session, SYSTEM, username=username, password=password, role=role)

    with pytest.raises(Conflict):
        create(officer, PASSWORD, "admin")
    with pytest.raises(InvalidInput, match="role"):
        create("bob", PASSWORD, "boss")
    with pytest.raises(InvalidInput, match="8"):
        create("bob", "short", "admin")


def test_only_admins_create_users(services: Services, officer: str) -> None:
    analyst = user_actor(7, "arthur", Role.analyst)
    for actor in (analyst, ANONYMOUS):
        with services.session() as session, pytest.raises(PermissionDenied):
            users.create_user(session, actor, username="eve", password=PASSWORD, role="admin")


def test_sign_in_issues_a_token_that_resumes_the_session(
    settings: Settings, services: Services, desk: Desk, officer: str
) -> None:
    started = desk.sign_in(officer, PASSWORD)
    assert started.error is None and started.token
    resumed = desk.resume(started.token)
    assert resumed is not None and resumed.username == officer and resumed.role == Role.officer
    assert desk.resume(started.token + "x") is None
    assert desk.resume("") is None


def test_wrong_password_and_unknown_user_get_the_same_message(
    settings: Settings, services: Services, desk: Desk, officer: str
) -> None:
    wrong = desk.sign_in(officer, "not the password")
    unknown = desk.sign_in("nobody", "not the password")
    assert wrong.token is None and unknown.token is None
    assert str(wrong.error) == str(unknown.error) == str(users.wrong_credentials())


def test_repeated_failures_lock_the_account_and_are_audited(
    settings: Settings, services: Services, desk: Desk, officer: str
) -> None:
    for _ in range(settings.max_login_failures):
        assert desk.sign_in(officer, "bad password").error
    locked = desk.sign_in(officer, PASSWORD)
    assert locked.token is None and str(locked.error) == str(users.account_locked())
    with services.session() as session:
        user = session.exec(select(User).where(User.username == officer)).one()
        assert user.locked_until is not None
        assert user.locked_until - user.locked_until.now(user.locked_until.tzinfo) <= timedelta(
            minutes=settings.lockout_minutes
        )
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("login.failed") == settings.max_login_failures
    assert actions[-1] == "login.locked"


def test_deactivated_user_cannot_resume(
    settings: Settings, services: Services, desk: Desk, officer: str
) -> None:
    started = desk.sign_in(officer, PASSWORD)
    with services.session() as session:
        user = session.exec(select(User).where(User.username == officer)).one()
        user.active = False
        session.add(user)
    assert desk.resume(started.token or "") is None


def test_signing_out_revokes_that_session_only(
    settings: Settings, services: Services, desk: Desk, officer: str
) -> None:
    first = desk.sign_in(officer, PASSWORD)
    second = desk.sign_in(officer, PASSWORD)  # another browser
    assert first.token and second.token and first.token != second.token
    desk.sign_out(first)
    assert desk.resume(first.token) is None  # a copy of the cookie is useless
    resumed = desk.resume(second.token)
    assert resumed is not None and resumed.username == officer
    desk.sign_out(first)  # twice: nothing more happens
    with services.session() as session:
        rows = session.exec(select(UserSession).order_by(UserSession.created_at)).all()
        logouts = session.exec(select(AuditEvent).where(AuditEvent.action == "logout")).all()
    assert [row.revoked_at is not None for row in rows] == [True, False]
    assert len(logouts) == 1


def test_tokens_without_an_open_session_do_not_resume(
    settings: Settings, services: Services, desk: Desk, officer: str
) -> None:
    started = desk.sign_in(officer, PASSWORD)
    assert started.user is not None and started.token
    claims = tokens.read_token(
        started.token, secret=settings.secret_key, purpose=sessions.SESSION_PURPOSE
    )

    def forged(**changes: object) -> str:
        fields: dict = {
            "secret": settings.secret_key,
            "user_id": started.user.id,
            "username": officer,
            "role": Role.officer,
            "purpose": sessions.SESSION_PURPOSE,
            "lifetime": timedelta(hours=1),
            "session_id": claims.session_id,
        }
        return tokens.issue_token(**{**fields, **changes})

    assert desk.resume(forged()) is not None  # the genuine claims resume
    assert desk.resume(forged(session_id=None)) is None
    assert desk.resume(forged(session_id="0" * 32)) is None
    assert desk.resume(forged(user_id=started.user.id + 1)) is None
    with services.session() as session:
        row = session.get(UserSession, claims.session_id)
        row.expires_at = row.created_at - timedelta(seconds=1)
        session.add(row)
    assert desk.resume(started.token) is None  # the session's own expiry
