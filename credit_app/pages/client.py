"""/clients/[client_id]: profile, score and why, what-if, the population, the history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title, signed_in_page
from credit_app.components.score_view import decision_summary, explanation_cards
from credit_app.components.tables import data_table
from credit_app.components.text import Key, t
from credit_app.components.ui import alert, card, decision_badge, hint, labelled
from credit_app.domain import Channel
from credit_app.i18n import Words
from credit_app.services import clients, model_card, predictions
from credit_app.services.actors import Permission
from credit_app.services.errors import InvalidInput
from credit_app.services.scoring import ScoreOutcome
from credit_app.state.applicant_fields import (
    FIELDS_BY_COLUMN,
    WHAT_IF_FIELDS,
    as_input,
    parse_all,
    profile,
    service_errors,
)
from credit_app.state.figures import population_figure
from credit_app.state.page import PageState, page_event
from credit_app.state.score_result import ScoreResultMixin
from credit_app.state.session import SessionState

POPULATION_FEATURES = 4


def _history_row(words: Words, record: predictions.PredictionRecord) -> dict[str, str]:
    probability = record.probability
    return {
        "when": words.formats.datetime(record.created_at),
        "channel": words(f"channel.{record.channel}"),
        "probability": words.formats.percent(probability) if probability is not None else "",
        "decision": record.decision or "",
        "model": record.model_version or "",
    }


def _population(
    words: Words, outcome: ScoreOutcome, references: Mapping[str, model_card.FeatureReference]
) -> list[dict]:
    """The client against the training population on the features that weigh most for them."""
    if outcome.explanation is None:
        return []
    figures: list[dict] = []
    for item in outcome.explanation.contributions:
        if len(figures) == POPULATION_FEATURES:
            break
        if item.feature in references:
            reference = references[item.feature].model_dump()
            figure = population_figure(words, item.feature, reference, item.value)
            if figure is not None:
                figures.append(figure)
    return figures


class ClientState(ScoreResultMixin, PageState, SessionState):
    permission = Permission.view_clients
    sk_id: str = ""
    profile: list[dict[str, str]] = []
    population: list[dict] = []
    history: list[dict[str, str]] = []
    preview: bool = False
    what_if: dict[str, str] = {}
    what_if_errors: dict[str, str] = {}
    _client: int | None = None
    _original: dict[str, str] = {}
    _on_file: float | None = None  # probability of the client as on file

    def _changed(self) -> bool:
        return self.what_if != self._original

    def _changes(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The what-if fields that differ from the client's file (cleared ones become missing)."""
        changed = {c: v for c, v in self.what_if.items() if v != self._original.get(c)}
        values, errors = parse_all(self._words, (FIELDS_BY_COLUMN[c] for c in changed), changed)
        return {c: values.get(c) for c in changed if c not in errors}, errors

    async def _score(self, *, changes: dict[str, Any], record: bool) -> ScoreOutcome | None:
        """The client scored (and explained) with `changes`; field errors shown by the field."""
        if self._client is None:
            return None
        try:
            return await self._run(
                self._services().scoring.score_client,
                self._client,
                channel=Channel.ui,
                explain=True,
                changes=changes,
                record=record,
            )
        except InvalidInput as exc:
            self.what_if_errors = service_errors(self._words, exc.details)
            if not self.what_if_errors:
                raise
        return None

    def _present(self, outcome: ScoreOutcome, *, preview: bool) -> None:
        """A what-if preview shows how far it moved from the client as on file."""
        reference = self._on_file if preview and self._changed() else None
        self._show_score(self._words, outcome, reference)
        self.preview = preview

    async def _refresh_population(self, outcome: ScoreOutcome) -> None:
        """Sent again only when the values moved: redrawing charts costs the browser time."""
        if outcome.explanation is None:
            return
        models = self._services().models
        features = [c.feature for c in outcome.explanation.contributions]
        references = await self._run(model_card.feature_references, models, features)
        figures = _population(self._words, outcome, references)
        if figures != self.population:
            self.population = figures

    async def _load_history(self) -> None:
        if self._client is None:
            return
        records = await self._run(predictions.client_history, self._client)
        words = self._words
        self.history = [_history_row(words, r) for r in records]

    async def _load(self) -> Any:
        client = clients.client_id(self.router.url.path.rstrip("/").rpartition("/")[2])
        self.sk_id = str(client or "")
        if client is None:
            self.error = self._words("client.bad_id")
            return None
        detail = await self._run(clients.get_client, client)
        words = self._words
        self._client = client
        self.profile = profile(words, detail.application)
        self._original = {
            f.column: as_input(words, f, detail.application.get(f.column)) for f in WHAT_IF_FIELDS
        }
        self.what_if = dict(self._original)
        # The score as on file, not recorded: the officer sees it and why at once.
        outcome = await self._score(changes={}, record=False)
        if outcome is not None:
            self._on_file = outcome.probability
            self._present(outcome, preview=True)
            await self._refresh_population(outcome)
        await self._load_history()
        return None

    @page_event
    async def score(self):  # type: ignore[no-untyped-def]
        """Score the client as on file and record the decision (channel ui)."""
        self.error = ""
        outcome = await self._score(changes={}, record=True)
        if outcome is None:
            return
        self._on_file = outcome.probability
        self._present(outcome, preview=False)
        if self._changed():
            self.what_if = dict(self._original)
        self.what_if_errors = {}
        yield  # the decision first; then the slower charts and the history
        await self._refresh_population(outcome)
        await self._load_history()

    @page_event
    async def change_what_if(self, column: str, text: str):  # type: ignore[no-untyped-def]
        """Preview the score with a field changed; nothing is saved."""
        if not isinstance(column, str) or column not in self._original:
            return
        if not isinstance(text, str) or len(text) > 30:
            return
        self.what_if = {**self.what_if, column: text}
        changes, errors = self._changes()
        self.what_if_errors = errors
        if errors:
            return
        outcome = await self._score(changes=changes, record=False)
        if outcome is not None:
            self._present(outcome, preview=True)
            yield
            await self._refresh_population(outcome)

    @page_event
    async def record_what_if(self):  # type: ignore[no-untyped-def]
        """Save the decision with the what-if values (channel ui); it joins the history."""
        changes, errors = self._changes()
        self.what_if_errors = errors
        if errors:
            return
        outcome = await self._score(changes=changes, record=True)
        if outcome is None:
            return
        self._present(outcome, preview=False)
        yield
        await self._refresh_population(outcome)
        await self._load_history()

    @page_event
    async def reset_what_if(self):  # type: ignore[no-untyped-def]
        if self._client is None:
            return
        self.what_if, self.what_if_errors = dict(self._original), {}
        outcome = await self._score(changes={}, record=False)
        if outcome is not None:
            self._present(outcome, preview=True)
            yield
            await self._refresh_population(outcome)


def _profile_card() -> rx.Component:
    return card(
        t("client.profile"),
        rx.data_list.root(
            rx.foreach(
                ClientState.profile,
                lambda item: rx.data_list.item(
                    rx.data_list.label(item["label"], min_width="9em"),
                    rx.data_list.value(item["value"]),
                ),
            ),
            orientation="horizontal",
            size="2",
        ),
        id="profile",
    )


def _decision_card() -> rx.Component:
    return card(
        t("client.decision"),
        rx.hstack(
            rx.button(
                rx.icon("gauge", size=16, aria_hidden="true"),
                t("client.score"),
                on_click=ClientState.score,
                size="3",
                id="score-button",
            ),
            hint(t("client.score_hint")),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            ClientState.scored,
            decision_summary(
                ClientState,
                rx.cond(
                    ClientState.preview,
                    rx.badge(
                        rx.icon("flask-conical", size=14, aria_hidden="true"),
                        t("client.preview"),
                        color_scheme="amber",
                        variant="soft",
                        id="preview-badge",
                    ),
                    rx.badge(
                        rx.icon("save", size=14, aria_hidden="true"),
                        t("client.recorded"),
                        color_scheme="teal",
                        variant="soft",
                        id="recorded-badge",
                    ),
                ),
            ),
            hint(t("client.not_scored")),
        ),
    )


def _what_if_input(column: str, label: rx.Var) -> rx.Component:
    return labelled(
        label,
        rx.input(
            id=f"what-if-{column}",
            value=ClientState.what_if[column],
            on_change=lambda text: ClientState.change_what_if(column, text),
            debounce_timeout=300,
            input_mode="decimal",
            width="100%",
        ),
        f"what-if-{column}",
        ClientState.what_if_errors.get(column, ""),
    )


def _what_if_card() -> rx.Component:
    return card(
        t("client.what_if"),
        hint(t("client.what_if_hint")),
        rx.grid(
            *[
                _what_if_input(f.column, t(f.label_key, label=Key(f"feature.{f.column}")))
                for f in WHAT_IF_FIELDS
            ],
            columns=rx.breakpoints(initial="1", sm="2"),
            gap="1em",
            width="100%",
        ),
        rx.hstack(
            rx.button(
                rx.icon("save", size=16, aria_hidden="true"),
                t("client.record"),
                on_click=ClientState.record_what_if,
            ),
            rx.button(t("client.reset"), on_click=ClientState.reset_what_if, variant="soft"),
            spacing="3",
            wrap="wrap",
        ),
        id="what-if",
    )


def _population_card() -> rx.Component:
    return card(
        t("client.population"),
        hint(t("client.population_hint")),
        rx.grid(
            rx.foreach(
                ClientState.population,
                lambda figure: chart(figure, t("client.population_chart")),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1em",
            width="100%",
        ),
        id="population",
    )


def _history_card() -> rx.Component:
    headers = [
        t(f"client.col_{name}") for name in ("when", "channel", "probability", "decision", "model")
    ]
    return card(
        t("client.history"),
        rx.cond(
            ClientState.history.length() > 0,
            data_table(
                headers,
                ClientState.history,
                lambda row: rx.table.row(
                    rx.table.cell(row["when"]),
                    rx.table.cell(row["channel"]),
                    rx.table.cell(row["probability"]),
                    rx.table.cell(decision_badge(row["decision"], size="1")),
                    rx.table.cell(row["model"]),
                ),
                "history-table",
                size="1",
            ),
            hint(t("client.history_none")),
        ),
        hint(
            rx.cond(
                ClientState.history.length() == 1,
                t("client.history_count_one"),
                t("client.history_count", count=ClientState.history.length()),
            ),
            id="history-count",
        ),
        id="history",
    )


@rx.page(route=routes.CLIENT, title=page_title("client.title"), on_load=ClientState.load)
def client_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            rx.link(
                rx.hstack(
                    rx.icon("arrow-left", size=16, aria_hidden="true"),
                    t("client.all_clients"),
                    spacing="1",
                ),
                href=routes.CLIENTS,
            ),
            rx.heading(t("client.heading", id=ClientState.sk_id), size="7", as_="h1"),
            alert(ClientState.error),
            rx.cond(
                ClientState.profile.length() > 0,
                rx.vstack(
                    rx.grid(
                        # The what-if inputs next to the gauge they move.
                        rx.vstack(_decision_card(), _what_if_card(), spacing="4", width="100%"),
                        _profile_card(),
                        columns=rx.breakpoints(initial="1", lg="2"),
                        gap="1em",
                        width="100%",
                    ),
                    rx.cond(ClientState.scored, explanation_cards(ClientState)),
                    _population_card(),
                    _history_card(),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
