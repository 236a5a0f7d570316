"""Reflex state security: the browser can neither see nor set who it is."""

from __future__ import annotations

from credit_app.pages.login import LoginState
from credit_app.state.session import SessionState

IDENTITY = ("role", "username", "session_token", "_role", "_user_id")


def test_no_setters_exist_for_identity_vars() -> None:
    # `setvar` events from a browser resolve to `set_<name>`: none may exist for these.
    for state in (SessionState, LoginState):
        for name in IDENTITY:
            assert getattr(state, f"set_{name}", None) is None, (state.__name__, name)


def test_checked_identity_is_not_sent_to_the_browser() -> None:
    visible = set(SessionState.vars) | set(SessionState.base_vars) | set(SessionState.computed_vars)
    assert not {"_role", "_user_id"} & visible
    assert {"username", "role"} <= visible  # shown in the header, trusted by nothing
