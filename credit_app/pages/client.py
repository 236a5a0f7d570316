"""/clients/[client_id]: profile, score and why, what-if, the population, the history."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart, population_figure
from credit_app.components.layout import APP_TITLE, signed_in_page
from credit_app.components.score_view import decision_summary, explanation_cards
from credit_app.components.tables import data_table
from credit_app.components.ui import alert, card, decision_badge, labelled
from credit_app.db.models import Channel
from credit_app.ml.schema import is_valid_id
from credit_app.services import clients, predictions
from credit_app.services.container import get_services
from credit_app.services.errors import InvalidInput, ServiceError
from credit_app.services.scoring import ScoreOutcome
from credit_app.state.applicant_fields import (
    FIELDS_BY_COLUMN,
    WHAT_IF_FIELDS,
    as_input,
    parse_all,
    profile,
    service_errors,
)
from credit_app.state.score_result import ScoreResultMixin
from credit_app.state.session import SessionState

POPULATION_FEATURES = 4
CHANNELS = {"ui": "Officer page", "api": "API", "batch": "Batch file"}


def _client_id(path: str) -> int | None:
    """The client id at the end of the URL path, if it is a plausible one."""
    text = path.rstrip("/").rpartition("/")[2]
    if not text.isdigit() or len(text) > 12 or not is_valid_id(int(text)):
        return None
    return int(text)


def _history_row(record: predictions.PredictionRecord) -> dict[str, str]:
    probability = record.probability
    return {
        "when": f"{record.created_at:%Y-%m-%d %H:%M}",
        "channel": CHANNELS.get(str(record.channel), str(record.channel)),
        "probability": f"{probability * 100:.1f} %" if probability is not None else "",
        "decision": record.decision or "",
        "model": record.model_version or "",
    }


def _population(outcome: ScoreOutcome) -> list[dict]:
    """The client against the training population on the features that weigh most for them."""
    if outcome.explanation is None:
        return []
    reference = get_services().models.get().card.get("reference", {}).get("features", {})
    figures: list[dict] = []
    for item in outcome.explanation.contributions:
        if len(figures) == POPULATION_FEATURES:
            break
        if item.feature in reference:
            figure = population_figure(item.feature, reference[item.feature], item.value)
            if figure is not None:
                figures.append(figure)
    return figures


class ClientState(ScoreResultMixin, SessionState):
    sk_id: str = ""
    error: str = ""
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
        changed = {c: t for c, t in self.what_if.items() if t != self._original.get(c)}
        values, errors = parse_all((FIELDS_BY_COLUMN[c] for c in changed), changed)
        return {c: values.get(c) for c in changed if c not in errors}, errors

    async def _score(self, *, changes: dict[str, Any], record: bool) -> ScoreOutcome | None:
        if self._client is None:
            return None
        scoring = get_services().scoring
        try:
            return await asyncio.to_thread(
                scoring.score_client,
                await self._checked_actor(),
                self._client,
                channel=Channel.ui,
                explain=True,
                changes=changes,
                record=record,
            )
        except InvalidInput as exc:
            self.what_if_errors = service_errors(exc.details)
            self.error = "" if self.what_if_errors else f"{exc}."
        except ServiceError as exc:
            self.error = str(exc).capitalize() + "."
        return None

    def _present(self, outcome: ScoreOutcome, *, preview: bool) -> None:
        """A what-if preview shows how far it moved from the client as on file."""
        self._show(outcome, self._on_file if preview and self._changed() else None)
        self.preview = preview

    def _refresh_population(self, outcome: ScoreOutcome) -> None:
        """Sent again only when the values moved: redrawing charts costs the browser time."""
        figures = _population(outcome)
        if figures != self.population:
            self.population = figures

    async def _load_history(self) -> None:
        services, client, actor = get_services(), self._client, self._actor()
        if client is None:
            return

        def run() -> list[predictions.PredictionRecord]:
            with services.session() as session:
                return predictions.client_history(session, actor, client)

        self.history = [_history_row(r) for r in await asyncio.to_thread(run)]

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        self.error, self.scored, self.preview, self.what_if_errors = "", False, False, {}
        self.profile, self.population, self.history, self.what_if = [], [], [], {}
        if not await self._resume():
            return rx.redirect(routes.LOGIN)
        client = _client_id(self.router.url.path)
        self.sk_id = str(client or "")
        if client is None:
            self.error = "This is not a client id: client ids are whole numbers."
            return None
        services, actor = get_services(), self._actor()

        def run() -> clients.ClientDetail:
            with services.session() as session:
                return clients.get_client(session, actor, client)

        try:
            detail = await asyncio.to_thread(run)
        except ServiceError as exc:
            self.error = str(exc).capitalize() + "."
            return None
        self._client = client
        self.profile = profile(detail.application)
        self._original = {
            f.column: as_input(f, detail.application.get(f.column)) for f in WHAT_IF_FIELDS
        }
        self.what_if = dict(self._original)
        # The score as on file, not recorded: the officer sees it and why at once.
        outcome = await self._score(changes={}, record=False)
        if outcome is not None:
            self._on_file = outcome.probability
            self._present(outcome, preview=True)
            self._refresh_population(outcome)
        await self._load_history()
        return None

    @rx.event
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
        self._refresh_population(outcome)
        await self._load_history()

    @rx.event
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
            self._refresh_population(outcome)

    @rx.event
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
        self._refresh_population(outcome)
        await self._load_history()

    @rx.event
    async def reset_what_if(self):  # type: ignore[no-untyped-def]
        self.what_if, self.what_if_errors = dict(self._original), {}
        outcome = await self._score(changes={}, record=False)
        if outcome is not None:
            self._present(outcome, preview=True)
            yield
            self._refresh_population(outcome)


def _profile_card() -> rx.Component:
    return card(
        "Profile",
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
        "Decision",
        rx.hstack(
            rx.button(
                rx.icon("gauge", size=16, aria_hidden="true"),
                "Score",
                on_click=ClientState.score,
                size="3",
                id="score-button",
            ),
            rx.text(
                "Scores the client as on file and records the decision.",
                size="2",
                color_scheme="gray",
            ),
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
                        "Preview, not recorded",
                        color_scheme="amber",
                        variant="soft",
                        id="preview-badge",
                    ),
                    rx.badge(
                        rx.icon("save", size=14, aria_hidden="true"),
                        "Recorded",
                        color_scheme="teal",
                        variant="soft",
                        id="recorded-badge",
                    ),
                ),
            ),
            rx.text("Not scored yet in this visit: press Score.", color_scheme="gray"),
        ),
    )


def _what_if_input(column: str, label: str) -> rx.Component:
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
        "What if",
        rx.text(
            "Change a value to see the score move. Nothing is saved until you record it.",
            size="2",
            color_scheme="gray",
        ),
        rx.grid(
            *[_what_if_input(f.column, f.label) for f in WHAT_IF_FIELDS],
            columns=rx.breakpoints(initial="1", sm="2"),
            gap="1em",
            width="100%",
        ),
        rx.hstack(
            rx.button(
                rx.icon("save", size=16, aria_hidden="true"),
                "Record this decision",
                on_click=ClientState.record_what_if,
            ),
            rx.button(
                "Back to the client's values", on_click=ClientState.reset_what_if, variant="soft"
            ),
            spacing="3",
            wrap="wrap",
        ),
        id="what-if",
    )


def _population_card() -> rx.Component:
    return card(
        "Against the training population",
        rx.text(
            "Where this client stands on the features that weigh most in their score.",
            size="2",
            color_scheme="gray",
        ),
        rx.grid(
            rx.foreach(
                ClientState.population,
                lambda figure: chart(figure, "Client against the training population"),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1em",
            width="100%",
        ),
        id="population",
    )


def _history_card() -> rx.Component:
    headers = ["When (UTC)", "Channel", "Probability", "Decision", "Model"]
    return card(
        "Prediction history",
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
            rx.text("No recorded decisions yet.", color_scheme="gray"),
        ),
        rx.text(
            ClientState.history.length(),
            " recorded decisions",
            size="1",
            color_scheme="gray",
            id="history-count",
        ),
        id="history",
    )


@rx.page(route=routes.CLIENT, title=f"Client · {APP_TITLE}", on_load=ClientState.load)
def client_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            rx.link(
                rx.hstack(
                    rx.icon("arrow-left", size=16, aria_hidden="true"), "All clients", spacing="1"
                ),
                href=routes.CLIENTS,
            ),
            rx.heading("Client ", ClientState.sk_id, size="7", as_="h1"),
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
