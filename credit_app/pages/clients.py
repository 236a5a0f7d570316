"""/clients: find a client by id prefix or by fields; a paginated, keyboard-friendly table."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.layout import APP_TITLE, signed_in_page
from credit_app.components.tables import data_table
from credit_app.components.ui import alert, decision_badge, labelled, page_heading, select_control
from credit_app.ml.schema import CATEGORIES
from credit_app.services import clients
from credit_app.services.actors import Actor
from credit_app.services.container import get_services
from credit_app.services.errors import ServiceError
from credit_app.state.applicant_fields import ApplicantField, parse
from credit_app.state.session import SessionState

PAGE_SIZE = 15
ANY = "any"
#: Score bands as ranges of the probability of default.
BANDS: dict[str, tuple[str, float, float]] = {
    "low": ("Low (under 5 %)", 0.0, 0.05),
    "medium": ("Medium (5 to 15 %)", 0.05, 0.15),
    "high": ("High (15 % and over)", 0.15, 1.0),
}
DECISIONS = [(ANY, "Any decision"), ("approve", "Approve"), ("refuse", "Refuse")]
CONTRACTS = [(ANY, "Any contract"), *[(c, c) for c in CATEGORIES["NAME_CONTRACT_TYPE"]]]
_INCOME = ApplicantField("AMT_INCOME_TOTAL", "money")


def _filters(form: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Search arguments from the submitted form (any values), or a message saying what is wrong."""
    filters: dict[str, Any] = {"q": str(form.get("q", ""))[:40]}
    decision = str(form.get("decision", ANY))
    if decision in ("approve", "refuse"):
        filters["decision"] = decision
    contract = str(form.get("contract_type", ANY))
    if contract in CATEGORIES["NAME_CONTRACT_TYPE"]:
        filters["contract_type"] = contract
    band = BANDS.get(str(form.get("band", ANY)))
    if band is not None:
        filters["min_probability"], filters["max_probability"] = band[1], band[2]
    for key, name in (("min_income", "Minimum income"), ("max_income", "Maximum income")):
        value, error = parse(_INCOME, form.get(key))
        if error:
            return {}, f"{name}: {error}"
        if value is not None:
            filters[key] = value
    return filters, ""


def _row(summary: clients.ClientSummary) -> dict[str, str]:
    probability = summary.last_probability
    return {
        "id": str(summary.sk_id_curr),
        "contract": summary.contract_type or "",
        "income": f"{summary.income_total:,.0f}" if summary.income_total is not None else "",
        "credit": f"{summary.amt_credit:,.0f}" if summary.amt_credit is not None else "",
        "probability": f"{probability * 100:.1f} %" if probability is not None else "—",
        "decision": summary.last_decision or "",
        "scored_at": f"{summary.last_scored_at:%Y-%m-%d %H:%M}" if summary.last_scored_at else "",
    }


class ClientsState(SessionState):
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    error: str = ""
    _filters: dict[str, Any] = {}

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    async def _search(self) -> None:
        services, filters, offset = get_services(), self._filters, self.page * PAGE_SIZE

        def run(actor: Actor) -> clients.ClientPage:
            with services.session() as session:
                return clients.search_clients(
                    session, actor, **filters, limit=PAGE_SIZE, offset=offset
                )

        try:
            found = await asyncio.to_thread(run, await self._checked_actor())
        except ServiceError as exc:
            self.rows, self.total, self.error = [], 0, str(exc).capitalize() + "."
            return
        self.rows, self.total, self.error = [_row(c) for c in found.items], found.total, ""

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        if not await self._resume():
            return rx.redirect(routes.LOGIN)
        self.page = 0
        await self._search()
        return None

    @rx.event
    async def search(self, form: dict):  # type: ignore[no-untyped-def]
        filters, error = _filters(form if isinstance(form, dict) else {})
        if error:
            self.error = error
            return
        self._filters, self.page = filters, 0
        await self._search()

    @rx.event
    async def turn_page(self, step: int):  # type: ignore[no-untyped-def]
        if step not in (-1, 1):
            return
        self.page = min(max(0, self.page + step), self.pages - 1)
        await self._search()

    @rx.event
    def open_client(self, sk_id: str):  # type: ignore[no-untyped-def]
        if isinstance(sk_id, str) and sk_id.isdigit():
            return rx.redirect(routes.client(sk_id))
        return None


def _filter_form() -> rx.Component:
    return rx.form(
        rx.grid(
            labelled(
                "Client id or contract type",
                rx.input(id="q", name="q", placeholder="e.g. 1000", width="100%"),
                "q",
            ),
            labelled("Decision", select_control("decision", DECISIONS, ANY), "decision"),
            labelled(
                "Score band",
                select_control(
                    "band", [(ANY, "Any score"), *[(k, v[0]) for k, v in BANDS.items()]], ANY
                ),
                "band",
            ),
            labelled(
                "Contract type", select_control("contract_type", CONTRACTS, ANY), "contract_type"
            ),
            labelled(
                "Minimum income",
                rx.input(id="min_income", name="min_income", input_mode="numeric", width="100%"),
                "min_income",
            ),
            labelled(
                "Maximum income",
                rx.input(id="max_income", name="max_income", input_mode="numeric", width="100%"),
                "max_income",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            gap="1em",
            width="100%",
        ),
        rx.hstack(
            rx.button(
                rx.icon("search", size=16, aria_hidden="true"),
                "Search",
                type="submit",
            ),
            rx.text("Clients found: ", ClientsState.total, color_scheme="gray", id="found"),
            align="center",
            spacing="3",
            margin_top="1em",
        ),
        on_submit=ClientsState.search,
        reset_on_submit=False,
        width="100%",
        role="search",
    )


def _table_row(row: rx.Var[dict[str, str]]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row["id"], href=routes.CLIENTS + "/" + row["id"], weight="bold")
        ),
        rx.table.cell(row["contract"]),
        rx.table.cell(row["income"], text_align="right"),
        rx.table.cell(row["credit"], text_align="right"),
        rx.table.cell(row["probability"], text_align="right"),
        rx.table.cell(decision_badge(row["decision"], size="1")),
        rx.table.cell(row["scored_at"]),
        on_click=ClientsState.open_client(row["id"]),
        cursor="pointer",
        _hover={"background": rx.color("teal", 3)},
    )


def _results() -> rx.Component:
    headers = ["Client", "Contract", "Income", "Credit", "Last score", "Decision", "Scored"]
    return rx.vstack(
        data_table(headers, ClientsState.rows, _table_row, "clients-table"),
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16, aria_hidden="true"),
                "Previous",
                on_click=ClientsState.turn_page(-1),
                disabled=ClientsState.page == 0,
                variant="soft",
            ),
            rx.text("Page ", ClientsState.page + 1, " of ", ClientsState.pages, aria_live="polite"),
            rx.button(
                "Next",
                rx.icon("chevron-right", size=16, aria_hidden="true"),
                on_click=ClientsState.turn_page(1),
                disabled=ClientsState.page + 1 >= ClientsState.pages,
                variant="soft",
            ),
            align="center",
            spacing="3",
        ),
        spacing="3",
        width="100%",
    )


@rx.page(route=routes.CLIENTS, title=f"Clients · {APP_TITLE}", on_load=ClientsState.load)
def clients_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            page_heading(
                "Clients", "Search by client id, or filter by decision, score and income."
            ),
            alert(ClientsState.error),
            rx.cond(
                ClientsState.permissions.contains("view_clients"),
                rx.vstack(
                    rx.card(_filter_form(), width="100%"), _results(), spacing="4", width="100%"
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
