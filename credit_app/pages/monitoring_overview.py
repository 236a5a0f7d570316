"""/monitoring: the analyst's home. One screen says whether the model is healthy over the
window, with the few signals that decide it, each ok / watch / act with its reason in a
sentence and a link to the page that explains it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.layout import page_title
from credit_app.components.monitoring import level_badge, level_callout, monitoring_page
from credit_app.components.text import t
from credit_app.i18n import Words
from credit_app.services import monitoring_overview
from credit_app.services.actors import Permission
from credit_app.state.monitoring_window import MonitoringWindowMixin
from credit_app.state.page import PageState
from credit_app.state.session import SessionState

_PERCENT = {"rate", "share", "low", "high", "limit"}
_COUNTS = {"n", "needed", "count", "total", "outside", "errors", "red", "amber"}


def _formatted(words: Words, params: Mapping[str, Any]) -> dict[str, str]:
    """A signal's values written for the reader (shares as percentages, ms, names)."""
    f = words.formats
    out = {}
    for key, value in params.items():
        if key in _PERCENT:
            out[key] = f.percent(value)
        elif key in _COUNTS:
            out[key] = f.number(value)
        elif key.endswith("_ms"):
            out[key] = f"{f.number(value)} ms"
        elif key == "top":
            out[key] = ", ".join(words.name(feature) for feature in value)
        else:
            out[key] = f.number(value, 3)
    return out


class OverviewState(MonitoringWindowMixin, PageState, SessionState):
    permission = Permission.view_monitoring
    level: str = ""
    headline: str = ""
    signals: list[dict[str, str]] = []

    async def _load(self) -> Any:
        found = await self._run(
            monitoring_overview.overview, self._window(), self._services().models
        )
        words = self._words
        self.level = found.level
        worst = [s for s in found.signals if s.level == found.level]
        undecided = [s for s in found.signals if s.level == "none"]
        # A signal without enough data is no green light: "healthy" only when all could say.
        key = "ok_partial" if found.level == "ok" and undecided else found.level
        self.headline = words(
            f"monitoring.overview_{key}",
            signals=", ".join(words(f"monitoring.signal_{s.name}").lower() for s in worst),
            undecided=", ".join(words(f"monitoring.signal_{s.name}").lower() for s in undecided),
        )
        self.signals = [
            {
                "name": signal.name,
                "title": words(f"monitoring.signal_{signal.name}"),
                "level": signal.level,
                "level_text": words(f"monitoring.level_{signal.level}"),
                "reason": words(signal.reason, **_formatted(words, signal.params)),
                "link": signal.link,
            }
            for signal in found.signals
        ]
        return None


def _icon(name: str, colour: str) -> rx.Component:
    return rx.icon(name, size=20, color=f"var(--{colour}-11)", aria_hidden="true")


def _signal(signal: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.match(
                    signal["level"],
                    ("ok", _icon("circle-check", "green")),
                    ("watch", _icon("triangle-alert", "amber")),
                    ("act", _icon("octagon-alert", "red")),
                    _icon("info", "gray"),
                ),
                rx.heading(signal["title"], size="3", as_="h2"),
                level_badge(signal["level"], signal["level_text"]),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.text(signal["reason"], size="2"),
            rx.link(t("monitoring.overview_details"), href=signal["link"], size="2"),
            spacing="2",
        ),
        id="signal-" + signal["name"],
        width="100%",
    )


@rx.page(
    route=routes.MONITORING_OVERVIEW,
    title=page_title("monitoring.overview_title"),
    on_load=OverviewState.load,
)
def overview_page() -> rx.Component:
    return monitoring_page(
        OverviewState,
        routes.MONITORING_OVERVIEW,
        "overview",
        level_callout(OverviewState.headline, OverviewState.level, "overview-verdict", "3"),
        rx.grid(
            rx.foreach(OverviewState.signals, _signal),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1em",
            width="100%",
        ),
    )
