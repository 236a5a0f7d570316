"""/: each role's home. Officers: a quick search and their latest decisions; analysts and
admins: the model in service and what their pages offer."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.layout import page_title, signed_in_page
from credit_app.components.tables import data_table
from credit_app.components.text import t
from credit_app.components.ui import alert, card, decision_badge, hint
from credit_app.services import clients, model_card, predictions
from credit_app.services.actors import Permission
from credit_app.state.page import PageState, page_event
from credit_app.state.session import SessionState


class HomeState(PageState, SessionState):
    recent: list[dict[str, str]] = []
    model_facts: list[dict[str, str]] = []

    async def _load(self) -> Any:
        actor, words = self._actor(), self._words
        if actor.can(Permission.view_clients):
            decisions = await self._call(actor, predictions.recent_decisions)
            self.recent = [
                {
                    "id": str(d.sk_id_curr),
                    "when": words.formats.datetime(d.created_at),
                    "probability": words.formats.percent(d.probability),
                    "decision": d.decision,
                }
                for d in decisions
            ]
        if actor.can(Permission.view_model):
            models = self._services().models
            card_ = await self._call(actor, model_card.public_card, models)
            self.model_facts = [
                {"label": words("home.model_version"), "value": card_.version},
                {
                    "label": words("home.model_auc"),
                    "value": words.formats.number(card_.metrics.auc, 3),
                },
                {
                    "label": words("home.model_threshold"),
                    "value": words.formats.percent(card_.threshold),
                },
            ]
        return None

    @page_event
    def quick_search(self, form: dict):  # type: ignore[no-untyped-def]
        text = str((form if isinstance(form, dict) else {}).get("q", ""))
        client = clients.client_id(text)
        return rx.redirect(routes.client(client) if client else routes.CLIENTS)


def _quick_search() -> rx.Component:
    return card(
        t("home.search_title"),
        rx.form(
            rx.hstack(
                rx.input(
                    id="quick-q",
                    name="q",
                    input_mode="numeric",
                    aria_label=t("home.search_label"),
                    placeholder=t("home.search_placeholder"),
                    width="100%",
                ),
                rx.button(rx.icon("search", size=16, aria_hidden="true"), t("home.search_open")),
                width="100%",
            ),
            on_submit=HomeState.quick_search,
            role="search",
            width="100%",
        ),
    )


def _recent() -> rx.Component:
    return card(
        t("home.recent_title"),
        rx.cond(
            HomeState.recent.length() > 0,
            data_table(
                [
                    t("home.col_client"),
                    t("home.col_when"),
                    t("home.col_probability"),
                    t("home.col_decision"),
                ],
                HomeState.recent,
                lambda row: rx.table.row(
                    rx.table.row_header_cell(
                        rx.link(row["id"], href=routes.CLIENTS + "/" + row["id"])
                    ),
                    rx.table.cell(row["when"]),
                    rx.table.cell(row["probability"]),
                    rx.table.cell(decision_badge(row["decision"], size="1")),
                ),
                "recent-decisions",
                size="1",
            ),
            hint(t("home.recent_none")),
        ),
    )


def _model() -> rx.Component:
    return card(
        t("home.model_title"),
        rx.data_list.root(
            rx.foreach(
                HomeState.model_facts,
                lambda item: rx.data_list.item(
                    rx.data_list.label(item["label"]), rx.data_list.value(item["value"])
                ),
            ),
            id="model-facts",
        ),
        hint(t("home.model_api")),
    )


@rx.page(route=routes.HOME, title=page_title("home.title"), on_load=HomeState.load)
def home() -> rx.Component:
    can = HomeState.permissions.contains
    return signed_in_page(
        rx.vstack(
            rx.heading(
                t("home.welcome", name=SessionState.username),
                size="7",
                as_="h1",
                id="welcome-heading",
            ),
            alert(HomeState.error),
            rx.grid(
                rx.cond(can(Permission.view_clients.value), _quick_search()),
                rx.cond(can(Permission.view_model.value), _model()),
                columns=rx.breakpoints(initial="1", md="2"),
                gap="1em",
                width="100%",
            ),
            rx.cond(can(Permission.view_clients.value), _recent()),
            rx.cond(
                can(Permission.view_monitoring.value),
                card(
                    t("home.monitoring_title"),
                    hint(t("home.monitoring_hint")),
                    rx.link(t("home.monitoring_open"), href=routes.MONITORING_OVERVIEW),
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
