"""/login: username and password, a clear message when they are wrong."""

from __future__ import annotations

import asyncio

import reflex as rx

from credit_app import routes
from credit_app.components.layout import APP_TITLE, brand
from credit_app.components.ui import labelled
from credit_app.config import get_settings
from credit_app.services import sessions
from credit_app.state.session import SessionState


class LoginState(SessionState):
    error: str = ""
    busy: bool = False

    @rx.event
    async def leave_if_signed_in(self):  # type: ignore[no-untyped-def]
        self.error = ""
        if await self._resume():
            return rx.redirect(routes.HOME)
        return None

    @rx.event
    async def sign_in(self, form: dict):  # type: ignore[no-untyped-def]
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        self.busy = True
        self.error = ""
        yield
        result = await asyncio.to_thread(sessions.sign_in, get_settings(), username, password)
        self.busy = False
        if result.user is None:
            self.error = result.error or "Sign-in failed."
            return
        self.session_token = result.token or ""
        self._remember(result.user)
        yield rx.redirect(routes.HOME)


def _field(label: str, name: str, kind: str, autocomplete: str) -> rx.Component:
    control = rx.input(
        name=name, id=name, type=kind, required=True, auto_complete=autocomplete, size="3"
    )
    return labelled(label, control, name)


@rx.page(route=routes.LOGIN, title=f"Sign in · {APP_TITLE}", on_load=LoginState.leave_if_signed_in)
def login() -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                brand(),
                rx.text("Sign in to score and explain credit applications.", color_scheme="gray"),
                rx.form(
                    rx.vstack(
                        _field("Username", "username", "text", "username"),
                        _field("Password", "password", "password", "current-password"),
                        rx.cond(
                            LoginState.error != "",
                            rx.callout(
                                LoginState.error,
                                icon="triangle-alert",
                                color_scheme="red",
                                role="alert",
                                width="100%",
                            ),
                        ),
                        rx.button(
                            "Sign in",
                            type="submit",
                            size="3",
                            width="100%",
                            loading=LoginState.busy,
                        ),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=LoginState.sign_in,
                    reset_on_submit=False,
                    width="100%",
                ),
                spacing="5",
                width="100%",
            ),
            size="4",
            width="100%",
            max_width="26em",
        ),
        min_height="100vh",
        padding="1em",
        background=rx.color("gray", 2),
    )
