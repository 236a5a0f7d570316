"""/: the signed-in landing page."""

from __future__ import annotations

import reflex as rx

from credit_app import routes
from credit_app.components.layout import APP_TITLE, signed_in_page
from credit_app.state.session import SessionState


@rx.page(route=routes.HOME, title=APP_TITLE, on_load=SessionState.require_user)
def home() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            rx.heading(
                "Welcome, ", SessionState.username, size="7", as_="h1", id="welcome-heading"
            ),
            rx.text(
                "You are signed in as ",
                rx.text.strong(SessionState.role),
                ". Client search, scoring and monitoring open here as they are released.",
                color_scheme="gray",
            ),
            spacing="3",
        )
    )
