"""/login: username and password, a clear message when they are wrong."""

from __future__ import annotations

import reflex as rx

from credit_app import routes
from credit_app.components.layout import brand, language_switch, page_title
from credit_app.components.text import t
from credit_app.components.ui import alert, labelled
from credit_app.services import sessions
from credit_app.services.actors import ANONYMOUS
from credit_app.state.page import PageState, page_event
from credit_app.state.session import SessionState


class LoginState(PageState, SessionState):
    busy: bool = False

    async def _call_sign_in(self, username: str, password: str) -> sessions.SessionStart:
        return await self._call(
            ANONYMOUS,
            sessions.sign_in,
            username=username,
            password=password,
            policy=self._services().sessions,
        )

    @page_event
    async def load(self):  # type: ignore[no-untyped-def]
        """Signed in already: straight to the home page."""
        self._clear()
        if await self._resume():
            return rx.redirect(routes.HOME)
        return None

    @page_event
    async def sign_in(self, form: dict):  # type: ignore[no-untyped-def]
        form = form if isinstance(form, dict) else {}
        username = str(form.get("username", "")).strip()[:64]
        password = str(form.get("password", ""))[:1024]
        self.busy, self.error = True, ""
        yield
        result = await self._call_sign_in(username, password)
        self.busy = False
        if result.user is None or result.error is not None:
            self.error = self._message(result.error) if result.error else ""
            return
        self.session_token = result.token or ""
        await self._resume()
        yield rx.redirect(routes.HOME)


def _field(key: str, name: str, kind: str, autocomplete: str) -> rx.Component:
    control = rx.input(
        name=name, id=name, type=kind, required=True, auto_complete=autocomplete, size="3"
    )
    return labelled(t(key), control, name)


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _field("login.username", "username", "text", "username"),
            _field("login.password", "password", "password", "current-password"),
            alert(LoginState.error),
            rx.button(
                t("login.submit"), type="submit", size="3", width="100%", loading=LoginState.busy
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.sign_in,
        reset_on_submit=False,
        width="100%",
    )


@rx.page(route=routes.LOGIN, title=page_title("login.title"), on_load=LoginState.load)
def login() -> rx.Component:
    return rx.center(
        rx.cond(
            rx.State.is_hydrated,
            rx.card(
                rx.vstack(
                    rx.hstack(brand(), language_switch(), justify="between", width="100%"),
                    rx.heading(t("login.title"), size="4", as_="h1"),
                    rx.text(t("login.intro"), color_scheme="gray"),
                    _form(),
                    spacing="5",
                    width="100%",
                ),
                size="4",
                width="100%",
                max_width="26em",
            ),
            rx.spinner(size="3", aria_label=t("page.loading")),
        ),
        min_height="100vh",
        padding="1em",
        background=rx.color("gray", 2),
        as_="main",
    )
