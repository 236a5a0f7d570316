"""The order of a sortable table's rows (`components.tables.sortable_table`).

A row shows formatted texts ("1,234", "0.742 (0.70 to 0.78)") that do not sort as their values
do: each row carries its values under `sort`, by column key, and is ordered by them.

A page's state holds its sortable tables with `SortedTablesMixin`, each by name: its rows,
the column it is sorted by and the direction, and one handler for every header of every
table (`components.tables.state_table` draws one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import reflex as rx

from credit_app.state.page import page_event

SORT = "sort"

#: A table's columns in order: its sort key (None: the column does not sort) and the
#: catalogue key of its header.
Columns = Sequence[tuple[str | None, str]]


def next_order(column: str, current: str, descending: bool) -> bool:
    """Whether to sort descending after a click on `column`: the same column reverses the
    order, another one starts ascending."""
    return not descending if column == current else False


def sorted_rows(
    rows: Sequence[dict[str, Any]], column: str, descending: bool
) -> list[dict[str, Any]]:
    """`rows` by their value for `column`; rows without one (nothing measured) stay last."""
    measured = [row for row in rows if row[SORT].get(column) is not None]
    missing = [row for row in rows if row[SORT].get(column) is None]
    return sorted(measured, key=lambda row: row[SORT][column], reverse=descending) + missing


class SortedTablesMixin(rx.State, mixin=True):
    """Mixed into a page's state with `PageState`: the page's sortable tables, by name.

    The page lists each table's columns in `table_columns`, declares `tables` with no rows
    and `sort_columns`/`sort_descending` with each table's first order, and puts rows in
    with `_set_table` (which keeps the table's current order, through a new window too)."""

    table_columns: ClassVar[dict[str, Columns]] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    sort_columns: dict[str, str] = {}
    sort_descending: dict[str, bool] = {}

    def _set_table(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        """`table`'s rows, in the order it is sorted in."""
        ordered = sorted_rows(rows, self.sort_columns[table], self.sort_descending[table])
        self.tables = {**self.tables, table: ordered}

    @page_event
    async def sort_table(self, table: str, column: str):  # type: ignore[no-untyped-def]
        """A click on a header: sort its table, and that table alone, by its column, or
        reverse the order if it is already."""
        (await self._checked_actor()).require(self.permission)  # type: ignore[attr-defined]
        columns = self.table_columns.get(table, ()) if isinstance(table, str) else ()
        if column is None or column not in (key for key, _ in columns):
            return
        descending = next_order(column, self.sort_columns[table], self.sort_descending[table])
        self.sort_columns = {**self.sort_columns, table: column}
        self.sort_descending = {**self.sort_descending, table: descending}
        self._set_table(table, self.tables[table])
