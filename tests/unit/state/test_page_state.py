"""The base page state without a browser: page states driven directly, on real services
(a real database, a real small model), the way Reflex calls their handlers."""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import reflex as rx

from credit_app.pages.clients import ClientsState
from credit_app.pages.home import HomeState
from credit_app.services import sessions
from credit_app.services.actors import ANONYMOUS
from credit_app.services.container import Services
from credit_app.state.session import SessionState
from tests.unit.state.conftest import PASSWORD


def sign_in(services: Services, username: str) -> str:
    with services.session() as session:
        started = sessions.sign_in(
            session, ANONYMOUS, username=username, password=PASSWORD, policy=services.sessions
        )
    assert started.token
    return started.token


def page(state_class: type[rx.State], token: str, lang: str = "") -> Any:
    """A fresh tab's state tree, signed in with `token`, the language switch set to `lang`."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    state.session_token = token
    state.language_choice = lang
    return state


def run(handler: Any, state: Any, *args: Any) -> Any:
    """Call an event handler as Reflex does: a coroutine, or a generator run to its end."""

    async def go() -> Any:
        result = handler.fn(state, *args)
        if hasattr(result, "__anext__"):
            return [update async for update in result]
        return await result

    # A thread of its own (with this one's context, where Reflex keeps its registry):
    # Playwright's sync API, used by the e2e tests of the same run, leaves an event loop
    # running in the main thread.
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(context.run, asyncio.run, go()).result()


def test_a_signed_in_officer_gets_the_page(app_services: Services) -> None:
    state = page(ClientsState, sign_in(app_services, "olivia"))
    run(ClientsState.load, state)
    assert state.error == "" and state.total == 30 and len(state.rows) == 15
    assert state.rows[0]["income"].startswith("€")


def test_a_lower_role_is_refused_with_the_pages_message(app_services: Services) -> None:
    state = page(ClientsState, sign_in(app_services, "arthur"))
    run(ClientsState.load, state)
    assert state.error == "The analyst role may not view clients."
    assert state.rows == [] and state.total == 0
    # Calling the handler directly, as any client could over the websocket, is refused too.
    run(ClientsState.search, state, {"q": "1"})
    assert state.rows == [] and "may not view clients" in state.error


def test_the_message_is_in_the_readers_language(app_services: Services) -> None:
    state = page(ClientsState, sign_in(app_services, "arthur"), lang="fr")
    run(ClientsState.load, state)
    assert state.lang == "fr"
    assert state.error == "Le rôle analyste ne peut pas consulter les clients."


def test_a_service_error_becomes_the_pages_message(app_services: Services, tmp_path: Path) -> None:
    app_services.models.model_dir = tmp_path / "no-model"  # the model goes missing
    state = page(HomeState, sign_in(app_services, "olivia"))
    run(HomeState.load, state)
    assert state.error.startswith("The scoring model is not available")
    assert state.model_facts == []


def test_without_a_session_the_page_sends_to_the_sign_in(app_services: Services) -> None:
    state = page(ClientsState, "not-a-token")
    redirect = run(ClientsState.load, state)
    assert "/login" in str(redirect) and state.rows == []


def test_the_session_is_checked_again_on_every_action(app_services: Services) -> None:
    token = sign_in(app_services, "olivia")
    state = page(ClientsState, token)
    run(ClientsState.load, state)
    assert state.rows
    other_tab = page(ClientsState, token)
    run(SessionState.sign_out, other_tab.parent_state)
    run(ClientsState.search, state, {"q": ""})
    assert state.session_ended and state.rows == [] and state.total == 0
    assert state.error == "Your session has ended: sign in again."


def test_signing_out_clears_every_pages_state(app_services: Services) -> None:
    state = page(ClientsState, sign_in(app_services, "olivia"))
    run(ClientsState.load, state)
    home = state.parent_state.get_substate([HomeState.get_name()])
    run(HomeState.load, home)
    assert state.rows and home.model_facts
    run(SessionState.sign_out, state.parent_state)
    assert state.rows == [] and state.total == 0 and home.model_facts == [] and home.recent == []
    assert state.username == "" and state.session_token == ""


def test_monitoring_pages_are_for_analysts(app_services: Services) -> None:
    from credit_app.pages.monitoring_decisions import DecisionsState
    from credit_app.pages.monitoring_service import ServiceHealthState

    for state_class in (ServiceHealthState, DecisionsState):
        analyst = page(state_class, sign_in(app_services, "arthur"))
        run(state_class.load, analyst)
        assert analyst.error == "" and analyst.range_name == "7d"
        officer = page(state_class, sign_in(app_services, "olivia"))
        run(state_class.load, officer)
        assert officer.error == "The officer role may not view monitoring."
        # The filter's event, called directly as any client could, is refused too.
        run(state_class.apply, officer, {"range": "24h", "channel": "api"})
        assert "may not view monitoring" in officer.error
    from credit_app.pages.monitoring_model import ModelState

    model = page(ModelState, sign_in(app_services, "arthur"))
    run(ModelState.load, model)
    assert model.error == "" and model.facts[0]["value"] == app_services.models.get().version
    assert model.importance_chart["data"][0]["y"]  # the features, by name
    refused = page(ModelState, sign_in(app_services, "olivia"))
    run(ModelState.load, refused)
    assert "may not view monitoring" in refused.error and refused.facts == []
    health = page(ServiceHealthState, sign_in(app_services, "arthur"))
    run(ServiceHealthState.apply, health, {"range": "custom", "start": "2026-13-01", "end": ""})
    assert health.error.startswith("Give a start and an end date")
