"""The order of a sortable table's rows (`components.tables.sortable_table`).

A row shows formatted texts ("1,234", "0.742 (0.70 to 0.78)") that do not sort as their values
do: each row carries its values under `sort`, by column key, and is ordered by them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SORT = "sort"


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
