"""Accounts and sign-in against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from credit_app.config import Settings
from credit_app.db.engine import session_scope
from credit_app.db.models import AuditEvent, Role, User, UserSession
from credit_app.services import sessions, tokens, users
from credit_app.services.errors import Conflict, InvalidInput

PASSWORD = "correct horse battery"


@pytest.fixture
def officer(settings: Settings) -> str:
    with session_scope(settings.database_url) as session:
        users.create_user(
            session, username="olivia", password=PASSWORD, role=Role.officer, actor="test"
        )
    return "olivia"


def test_password_is_stored_as_bcrypt_hash_only(settings: Settings, officer: str) -> None:
    with session_scope(settings.database_url) as session:
        user = session.exec(select(User).where(User.username == officer)).one()
    assert user.password_hash.startswith("$2b$")
    assert PASSWORD not in user.password_hash
    assert user.role == Role.officer


def test_duplicate_and_invalid_users_are_refused(settings: Settings, officer: str) -> None:
    with session_scope(settings.database_url) as session, pytest.raises(Conflict):
        users.create_user(session, username=officer, password=PASSWORD, role="admin", actor="t")
    with session_scope(settings.database_url) as session, pytest.raises(InvalidInput, match="role"):
        users.create_user(session, username="bob", password=PASSWORD, role="boss", actor="t")
    with session_scope(settings.database_url) as session, pytest.raises(InvalidInput, match="8"):
        users.create_user(session, username="bob", password="short", role="admin", actor="t")


def test_sign_in_issues_a_token_that_resumes_the_session(settings: Settings, officer: str) -> None:
    started = sessions.sign_in(settings, officer, PASSWORD)
    assert started.error is None and started.token
    resumed = sessions.resume(settings, started.token)
    assert resumed is not None and resumed.username == officer and resumed.role == Role.officer
    assert sessions.resume(settings, started.token + "x") is None
    assert sessions.resume(settings, "") is None


def test_wrong_password_and_unknown_user_get_the_same_message(
    settings: Settings, officer: str
) -> None:
    wrong = sessions.sign_in(settings, officer, "not the password")
    unknown = sessions.sign_in(settings, "nobody", "not the password")
    assert wrong.token is None and unknown.token is None
    assert wrong.error == unknown.error == users.WRONG_CREDENTIALS


def test_repeated_failures_lock_the_account_and_are_audited(
    settings: Settings, officer: str
) -> None:
    for _ in range(settings.max_login_failures):
        assert sessions.sign_in(settings, officer, "bad password").error
    locked = sessions.sign_in(settings, officer, PASSWORD)
    assert locked.token is None and locked.error == users.ACCOUNT_LOCKED
    with session_scope(settings.database_url) as session:
        user = session.exec(select(User).where(User.username == officer)).one()
        assert user.locked_until is not None
        assert user.locked_until - user.locked_until.now(user.locked_until.tzinfo) <= timedelta(
            minutes=settings.lockout_minutes
        )
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("login.failed") == settings.max_login_failures
    assert actions[-1] == "login.locked"


def test_deactivated_user_cannot_resume(settings: Settings, officer: str) -> None:
    started = sessions.sign_in(settings, officer, PASSWORD)
    with session_scope(settings.database_url) as session:
        user = session.exec(select(User).where(User.username == officer)).one()
        user.active = False
        session.add(user)
    assert sessions.resume(settings, started.token or "") is None


def test_signing_out_revokes_that_session_only(settings: Settings, officer: str) -> None:
    first = sessions.sign_in(settings, officer, PASSWORD)
    second = sessions.sign_in(settings, officer, PASSWORD)  # another browser
    assert first.token and second.token and first.token != second.token
    sessions.sign_out(settings, first.token)
    assert sessions.resume(settings, first.token) is None  # a copy of the cookie is useless
    resumed = sessions.resume(settings, second.token)
    assert resumed is not None and resumed.username == officer
    sessions.sign_out(settings, first.token)  # twice: nothing more happens
    with session_scope(settings.database_url) as session:
        rows = session.exec(select(UserSession).order_by(UserSession.created_at)).all()
        logouts = session.exec(select(AuditEvent).where(AuditEvent.action == "logout")).all()
    assert [row.revoked_at is not None for row in rows] == [True, False]
    assert len(logouts) == 1


def test_tokens_without_an_open_session_do_not_resume(settings: Settings, officer: str) -> None:
    started = sessions.sign_in(settings, officer, PASSWORD)
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

    assert sessions.resume(settings, forged()) is not None  # the genuine claims resume
    assert sessions.resume(settings, forged(session_id=None)) is None
    assert sessions.resume(settings, forged(session_id="0" * 32)) is None
    assert sessions.resume(settings, forged(user_id=started.user.id + 1)) is None
    with session_scope(settings.database_url) as session:
        row = session.get(UserSession, claims.session_id)
        row.expires_at = row.created_at - timedelta(seconds=1)
        session.add(row)
    assert sessions.resume(settings, started.token) is None  # the session's own expiry
