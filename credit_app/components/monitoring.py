"""The frame of the monitoring pages: their tabs and the time-range and channel filter."""

from __future__ import annotations

import reflex as rx

from credit_app import routes
from credit_app.components.layout import signed_in_page
from credit_app.components.text import t
from credit_app.components.ui import alert, labelled, page_heading, select_control
from credit_app.domain import Channel
from credit_app.services.actors import Permission

TABS = [
    ("monitoring.tab_overview", routes.MONITORING_OVERVIEW),
    ("monitoring.tab_service", routes.MONITORING_SERVICE),
    ("monitoring.tab_decisions", routes.MONITORING_DECISIONS),
    ("monitoring.tab_drift", routes.MONITORING_DRIFT),
    ("monitoring.tab_performance", routes.MONITORING_PERFORMANCE),
    ("monitoring.tab_fairness", routes.MONITORING_FAIRNESS),
    ("monitoring.tab_model", routes.MONITORING_MODEL),
]
RANGE_OPTIONS = ["24h", "7d", "30d", "custom"]


def tabs(current: str) -> rx.Component:
    """Links to each monitoring page; the current one is marked for screen readers too."""
    return rx.el.nav(
        rx.hstack(
            *[
                rx.link(
                    t(key),
                    href=route,
                    weight="bold" if route == current else "regular",
                    underline="always" if route == current else "hover",
                    aria_current="page" if route == current else None,
                )
                for key, route in TABS
            ],
            spacing="4",
        ),
        aria_label=t("monitoring.tabs"),
    )


def window_filter(state: type[rx.State]) -> rx.Component:
    """Range (24 h, 7 days, 30 days or custom dates) and channel, applied on submit."""
    return rx.form(
        rx.grid(
            labelled(
                t("monitoring.range"),
                select_control(
                    "range", [(r, t(f"monitoring.range_{r}")) for r in RANGE_OPTIONS], "7d"
                ),
                "range",
            ),
            labelled(
                t("monitoring.channel"),
                select_control(
                    "channel",
                    [
                        ("any", t("monitoring.any_channel")),
                        *[(c.value, t(f"channel.{c.value}")) for c in Channel],
                    ],
                    "any",
                ),
                "channel",
            ),
            labelled(
                t("monitoring.from"), rx.input(type="date", id="start", name="start"), "start"
            ),
            labelled(t("monitoring.to"), rx.input(type="date", id="end", name="end"), "end"),
            rx.button(
                rx.icon("filter", size=16, aria_hidden="true"),
                t("monitoring.apply"),
                type="submit",
                align_self="end",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="5"),
            gap="1em",
            width="100%",
        ),
        on_submit=state.apply,
        reset_on_submit=False,
        width="100%",
    )


def monitoring_page(
    state: type[rx.State],
    route: str,
    name: str,
    *content: rx.Component,
    with_window: bool = True,
) -> rx.Component:
    """A monitoring page: its heading (`monitoring.{name}_title`, `_intro`), the tabs, the
    page's message, then, for those who may see monitoring, the filter (unless the page is
    not about a time window) and `content`."""
    return signed_in_page(
        rx.vstack(
            page_heading(t(f"monitoring.{name}_title"), t(f"monitoring.{name}_intro")),
            tabs(route),
            alert(state.error),  # type: ignore[attr-defined]
            rx.cond(
                state.permissions.contains(Permission.view_monitoring.value),  # type: ignore[attr-defined]
                rx.vstack(
                    *([rx.card(window_filter(state), width="100%")] if with_window else []),
                    *content,
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )


#: How a level (ok / watch / act; anything else: not enough data) looks: colour and icon,
#: always beside words, never the colour alone.
LEVEL_COLOURS = (("ok", "green"), ("watch", "amber"), ("act", "red"), "gray")
LEVEL_ICONS = (
    ("ok", "circle-check"),
    ("watch", "triangle-alert"),
    ("act", "octagon-alert"),
    "info",
)


def level_callout(text: rx.Var, level: rx.Var, element_id: str, size: str = "2") -> rx.Component:
    """A verdict sentence in its level's colour and icon."""
    return rx.callout(
        text,
        icon=rx.match(level, *LEVEL_ICONS),
        color_scheme=rx.match(level, *LEVEL_COLOURS),
        size=size,
        id=element_id,
        width="100%",
    )


def level_badge(level: rx.Var, text: rx.Var) -> rx.Component:
    """A level's name in its colour."""
    return rx.badge(text, color_scheme=rx.match(level, *LEVEL_COLOURS), variant="soft")
