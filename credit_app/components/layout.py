"""The frame around every signed-in page: brand, who is signed in, sign out."""

from __future__ import annotations

import reflex as rx

from credit_app import routes
from credit_app.components.text import t, t_enum
from credit_app.domain import Role
from credit_app.i18n import LANGUAGES, translate
from credit_app.services.actors import Permission
from credit_app.state.session import SessionState

#: Header links: label key, route, icon, and the permission a role needs to see it.
NAVIGATION: list[tuple[str, str, str, Permission]] = [
    ("nav.clients", routes.CLIENTS, "users", Permission.view_clients),
    ("nav.score_new", routes.SCORE_NEW, "user-plus", Permission.score),
    ("nav.batch", routes.BATCH, "file-spreadsheet", Permission.score_batch),
    ("nav.monitoring", routes.MONITORING_OVERVIEW, "activity", Permission.view_monitoring),
]


def page_title(key: str) -> str:
    """The browser tab's title of a page: fixed when the app is built, so in both languages."""
    names = " / ".join(dict.fromkeys(translate(lang, key) for lang in LANGUAGES))
    return f"{names} · {translate('en', 'app.title')}"


def brand() -> rx.Component:
    return rx.hstack(
        rx.icon("shield-check", size=26, color=rx.color("teal", 10), aria_hidden="true"),
        rx.heading(t("app.title"), size="5", weight="bold"),
        align="center",
        spacing="2",
    )


def _nav_link(label: rx.Var, route: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16, aria_hidden="true"), label, spacing="1", align="center"),
        href=route,
        weight="medium",
        underline="hover",
        high_contrast=True,
        padding_y="0.25em",
    )


def navigation() -> rx.Component:
    """Only the pages the signed-in role may use; the pages check the role again."""
    return rx.el.nav(
        rx.hstack(
            _nav_link(t("nav.home"), routes.HOME, "house"),
            *[
                rx.cond(
                    SessionState.permissions.contains(permission.value),
                    _nav_link(t(key), route, icon),
                )
                for key, route, icon, permission in NAVIGATION
            ],
            spacing="0",
            column_gap="1em",
            row_gap="0.25em",
            wrap="wrap",
            align="center",
        ),
        aria_label=t("nav.main"),
    )


def language_switch() -> rx.Component:
    """Each language by its own name; the current one is pressed. The choice is remembered."""
    return rx.hstack(
        *[
            rx.button(
                translate(lang, "language.name"),
                on_click=SessionState.switch_language(lang),
                variant=rx.cond(SessionState.lang == lang, "solid", "outline"),
                size="1",
                aria_pressed=rx.cond(SessionState.lang == lang, "true", "false"),
                lang=lang,
            )
            for lang in LANGUAGES
        ],
        spacing="1",
        role="group",
        aria_label=t("language.switch"),
    )


def header() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.link(brand(), href=routes.HOME, underline="none", color="inherit"),
            navigation(),
            rx.spacer(),
            rx.hstack(
                rx.icon("circle-user", size=18, aria_hidden="true"),
                rx.text(SessionState.username, weight="medium", id="signed-in-user"),
                rx.badge(t_enum(SessionState.role, Role), variant="soft", color_scheme="teal"),
                language_switch(),
                rx.color_mode.button(aria_label=t("header.color_mode"), size="2"),
                rx.button(
                    rx.icon("log-out", size=16, aria_hidden="true"),
                    t("header.sign_out"),
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
        rx.cond(
            SessionState.session_ended,
            rx.center(
                rx.vstack(
                    rx.heading(t("session.ended"), size="5", as_="h1"),
                    rx.text(t("session.ended_why")),
                    rx.link(t("session.sign_in_again"), href=routes.LOGIN),
                    align="center",
                ),
                height="100vh",
                role="alert",
            ),
            rx.center(rx.spinner(size="3"), height="100vh", aria_label=t("page.loading")),
        ),
    )
