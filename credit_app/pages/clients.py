"""/clients: find a client by id prefix or by fields; a paginated, keyboard-friendly table."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.layout import page_title, signed_in_page
from credit_app.components.tables import data_table
from credit_app.components.text import t
from credit_app.components.ui import (
    alert,
    decision_badge,
    hint,
    labelled,
    page_heading,
    select_control,
)
from credit_app.i18n import Words
from credit_app.services import clients
from credit_app.services.actors import Permission
from credit_app.state.applicant_fields import ApplicantField, parse
from credit_app.state.page import PageState, page_event
from credit_app.state.session import SessionState

PAGE_SIZE = 15
ANY = "any"
#: Score bands as ranges of the probability of default.
BANDS: dict[str, tuple[float, float]] = {
    "low": (0.0, 0.05),
    "medium": (0.05, 0.15),
    "high": (0.15, 1.0),
}
DECISIONS = ("approve", "refuse")
_INCOME = ApplicantField("AMT_INCOME_TOTAL", "money")
_CONTRACTS = ApplicantField("NAME_CONTRACT_TYPE", "category").options


def _filters(words: Words, form: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Search arguments from the submitted form (any values), or a message saying what is wrong."""
    filters: dict[str, Any] = {"q": str(form.get("q", ""))[:40]}
    decision = str(form.get("decision", ANY))
    if decision in DECISIONS:
        filters["decision"] = decision
    contract = str(form.get("contract_type", ANY))
    if contract in _CONTRACTS:
        filters["contract_type"] = contract
    band = BANDS.get(str(form.get("band", ANY)))
    if band is not None:
        filters["min_probability"], filters["max_probability"] = band
    for key in ("min_income", "max_income"):
        value, error = parse(words, _INCOME, form.get(key))
        if error:
            return {}, f"{words(f'clients.{key}')}: {error}"
        if value is not None:
            filters[key] = value
    return filters, ""


def _row(words: Words, summary: clients.ClientSummary) -> dict[str, str]:
    probability, f = summary.last_probability, words.formats
    return {
        "id": str(summary.sk_id_curr),
        "contract": words.category("NAME_CONTRACT_TYPE", summary.contract_type or ""),
        "income": f.money(summary.income_total) if summary.income_total is not None else "",
        "credit": f.money(summary.amt_credit) if summary.amt_credit is not None else "",
        "probability": f.percent(probability) if probability is not None else "—",
        "decision": summary.last_decision or "",
        "scored_at": f.datetime(summary.last_scored_at) if summary.last_scored_at else "",
    }


class ClientsState(PageState, SessionState):
    permission = Permission.view_clients
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 0
    _filters: dict[str, Any] = {}

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    async def _search(self) -> None:
        self.rows, self.total = [], 0
        found = await self._run(
            clients.search_clients, **self._filters, limit=PAGE_SIZE, offset=self.page * PAGE_SIZE
        )
        words = self._words
        self.rows, self.total, self.error = [_row(words, c) for c in found.items], found.total, ""

    async def _load(self) -> Any:
        await self._search()

    @page_event
    async def search(self, form: dict):  # type: ignore[no-untyped-def]
        filters, error = _filters(self._words, form if isinstance(form, dict) else {})
        if error:
            self.error = error
            return
        self._filters, self.page = filters, 0
        await self._search()

    @page_event
    async def turn_page(self, step: int):  # type: ignore[no-untyped-def]
        if step not in (-1, 1):
            return
        self.page = min(max(0, self.page + step), self.pages - 1)
        await self._search()

    @page_event
    def open_client(self, sk_id: str):  # type: ignore[no-untyped-def]
        if isinstance(sk_id, str) and sk_id.isdigit() and len(sk_id) <= 12:
            return rx.redirect(routes.client(sk_id))
        return None


def _filter_form() -> rx.Component:
    return rx.form(
        rx.grid(
            labelled(
                t("clients.query"),
                rx.input(id="q", name="q", placeholder=t("clients.query_example"), width="100%"),
                "q",
            ),
            labelled(
                t("clients.decision"),
                select_control(
                    "decision",
                    [
                        (ANY, t("clients.any_decision")),
                        *[(d, t(f"decision.{d}")) for d in DECISIONS],
                    ],
                    ANY,
                ),
                "decision",
            ),
            labelled(
                t("clients.band"),
                select_control(
                    "band",
                    [(ANY, t("clients.any_score")), *[(k, t(f"clients.band_{k}")) for k in BANDS]],
                    ANY,
                ),
                "band",
            ),
            labelled(
                t("clients.contract_type"),
                select_control(
                    "contract_type",
                    [
                        (ANY, t("clients.any_contract")),
                        *[(c, t(f"category.NAME_CONTRACT_TYPE.{c}")) for c in _CONTRACTS],
                    ],
                    ANY,
                ),
                "contract_type",
            ),
            labelled(
                t("clients.min_income"),
                rx.input(id="min_income", name="min_income", input_mode="numeric", width="100%"),
                "min_income",
            ),
            labelled(
                t("clients.max_income"),
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
                t("clients.search"),
                type="submit",
            ),
            hint(t("clients.found", count=ClientsState.total), id="found"),
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
    headers = [
        t(f"clients.col_{name}")
        for name in ("client", "contract", "income", "credit", "score", "decision", "scored")
    ]
    return rx.vstack(
        data_table(headers, ClientsState.rows, _table_row, "clients-table"),
        rx.hstack(
            rx.button(
                rx.icon("chevron-left", size=16, aria_hidden="true"),
                t("clients.previous"),
                on_click=ClientsState.turn_page(-1),
                disabled=ClientsState.page == 0,
                variant="soft",
            ),
            rx.text(
                t("clients.page_of", page=ClientsState.page + 1, pages=ClientsState.pages),
                aria_live="polite",
            ),
            rx.button(
                t("clients.next"),
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


@rx.page(route=routes.CLIENTS, title=page_title("clients.title"), on_load=ClientsState.load)
def clients_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            page_heading(t("clients.title"), t("clients.intro")),
            alert(ClientsState.error),
            rx.cond(
                ClientsState.permissions.contains(Permission.view_clients.value),
                rx.vstack(
                    rx.card(_filter_form(), width="100%"), _results(), spacing="4", width="100%"
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
