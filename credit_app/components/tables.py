"""Tables of the pages: a header row, one row per item, scrolling sideways on phones; those
of a page's `SortedTablesMixin` sort by their headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

from credit_app.components.text import t
from credit_app.components.ui import Text
from credit_app.state.sorting import SortedTablesMixin


def _table(
    header_cells: list[rx.Component], body: list[rx.Component], table_id: str, size: str
) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*header_cells)),
            rx.table.body(*body),
            variant="surface",
            size=size,
            width="100%",
            id=table_id,
        ),
        overflow_x="auto",
        width="100%",
    )


def data_table(
    headers: list[str | rx.Var],
    items: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    table_id: str,
    size: str = "2",
) -> rx.Component:
    return _table(
        [rx.table.column_header_cell(h) for h in headers],
        [rx.foreach(items, render_row)],
        table_id,
        size,
    )


def _sort_header(
    key: str,
    header: Text,
    sorted_by: rx.Var[str],
    descending: rx.Var[bool],
    on_sort: Callable[[str], Any],
) -> rx.Component:
    """A header whose button sorts by its column; aria-sort tells screen readers the order."""
    here = sorted_by == key
    return rx.table.column_header_cell(
        rx.button(
            header,
            rx.cond(
                here,
                rx.cond(
                    descending,
                    rx.icon("arrow-down", size=14, aria_hidden="true"),
                    rx.icon("arrow-up", size=14, aria_hidden="true"),
                ),
                rx.icon("arrow-up-down", size=14, aria_hidden="true", opacity="0.5"),
            ),
            on_click=on_sort(key),
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            size="1",
            white_space="nowrap",
        ),
        aria_sort=rx.cond(here, rx.cond(descending, "descending", "ascending"), "none"),
    )


def sortable_table(
    columns: Sequence[tuple[str | None, Text]],
    items: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    table_id: str,
    *,
    sorted_by: rx.Var[str],
    descending: rx.Var[bool],
    on_sort: Callable[[str], Any],
    after: Sequence[rx.Component] = (),
    size: str = "2",
) -> rx.Component:
    """`data_table` whose column headers sort it: a click on a header (or Enter on it) calls
    `on_sort(key)`, which the page's state answers by reordering `items` (a second click
    reverses the order); a column whose key is None does not sort. `after`: rows that stay
    below the sorted ones (a total)."""
    return _table(
        [
            # Set as the sorting headers' buttons are, so that the row reads as one.
            rx.table.column_header_cell(rx.text(header, size="1", weight="medium"))
            if key is None
            else _sort_header(key, header, sorted_by, descending, on_sort)
            for key, header in columns
        ],
        [rx.foreach(items, render_row), *after],
        table_id,
        size,
    )


def state_table(
    state: type[SortedTablesMixin],
    table: str,
    render_row: Callable[[rx.Var], rx.Component],
    table_id: str,
    *,
    after: Sequence[rx.Component] = (),
    size: str = "2",
) -> rx.Component:
    """`sortable_table` of one of `state`'s tables, by name: its columns, rows and order."""
    return sortable_table(
        [(key, t(label)) for key, label in state.table_columns[table]],
        state.tables[table],  # type: ignore[arg-type]
        render_row,
        table_id,
        sorted_by=state.sort_columns[table],  # type: ignore[arg-type]
        descending=state.sort_descending[table],  # type: ignore[arg-type]
        on_sort=lambda key: state.sort_table(table, key),
        after=after,
        size=size,
    )
