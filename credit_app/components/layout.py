"""The frame around every signed-in page: brand, who is signed in, sign out."""

from __future__ import annotations

import reflex as rx

from credit_app.state.session import SessionState

APP_TITLE = "Credit Risk Desk"


def brand() -> rx.Component:
    return rx.hstack(
        rx.icon("shield-check", size=26, color=rx.color("teal", 10), aria_hidden="true"),
        rx.heading(APP_TITLE, size="5", weight="bold"),
        align="center",
        spacing="2",
    )


def header() -> rx.Component:
    return rx.box(
        rx.hstack(
            brand(),
            rx.spacer(),
            rx.hstack(
                rx.icon("circle-user", size=18, aria_hidden="true"),
                rx.text(SessionState.username, weight="medium", id="signed-in-user"),
                rx.badge(SessionState.role, variant="soft", color_scheme="teal"),
                rx.color_mode.button(aria_label="Toggle light and dark mode", size="2"),
                rx.button(
                    rx.icon("log-out", size=16, aria_hidden="true"),
                    "Sign out",
                    on_click=SessionState.sign_out,
                    variant="outline",
                    size="2",
                ),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            align="center",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        as_="header",
        padding_x=["1em", "2em"],
        padding_y="0.75em",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 1),
        width="100%",
    )


def signed_in_page(*children: rx.Component) -> rx.Component:
    """Shown only once the session is confirmed; a spinner until then."""
    return rx.cond(
        SessionState.signed_in,
        rx.box(
            header(),
            rx.box(
                *children, as_="main", padding=["1em", "2em"], max_width="80em", margin="0 auto"
            ),
            min_height="100vh",
            background=rx.color("gray", 2),
        ),
        rx.center(rx.spinner(size="3"), height="100vh", aria_label="Loading"),
    )
