"""The result of a score: gauge with the threshold, decision badge, reasons, SHAP waterfall."""

from __future__ import annotations

import reflex as rx

from credit_app.components.charts import chart
from credit_app.components.text import t
from credit_app.components.ui import card, decision_badge, hint


def _reason(reason: rx.Var[dict[str, str]]) -> rx.Component:
    raises = reason["direction"] == "raises"
    return rx.el.li(
        rx.hstack(
            rx.cond(
                raises,
                rx.icon("trending-up", size=18, color=rx.color("red", 10), aria_hidden="true"),
                rx.icon("trending-down", size=18, color=rx.color("green", 10), aria_hidden="true"),
            ),
            rx.text(reason["text"], size="2"),
            spacing="2",
            align="start",
        ),
        padding_y="0.2em",
    )


def decision_summary(state: type[rx.State], note: rx.Component | None = None) -> rx.Component:
    """Gauge, decision and probability in words; `note` says e.g. that it is not saved."""
    return rx.flex(
        rx.box(
            chart(state.gauge, t("score.gauge_label"), "gauge"),
            width=rx.breakpoints(initial="100%", md="50%"),
            min_width="0",
            max_width="26em",
        ),
        rx.vstack(
            hint(t("score.decision")),
            rx.box(decision_badge(state.decision), id="decision"),
            rx.text(
                t("score.probability"),
                " ",
                rx.text.strong(state.probability_text, id="probability"),
                " ",
                t("score.refused_from", threshold=state.threshold_text),
                size="3",
            ),
            hint(t("score.model", version=state.model_version), size="1"),
            note or rx.fragment(),
            spacing="2",
            justify="center",
        ),
        direction=rx.breakpoints(initial="column", md="row"),
        gap="1em",
        align="center",
        width="100%",
    )


def explanation_cards(state: type[rx.State]) -> rx.Component:
    """Plain-language reasons and the SHAP waterfall of the top factors."""
    return rx.grid(
        card(
            t("score.reasons"),
            rx.el.ul(
                rx.foreach(state.reasons, _reason), list_style="none", padding="0", id="reasons"
            ),
        ),
        card(
            t("score.factors"),
            chart(state.waterfall, t("score.waterfall_label"), "waterfall"),
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        gap="1em",
        width="100%",
    )
