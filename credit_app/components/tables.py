"""Tables of the officer pages: a header row, one row per item, scrolling sideways on phones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

from credit_app.components.ui import Text


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
    columns: Sequence[tuple[str, Text]],
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
    reverses the order). `after`: rows that stay below the sorted ones (a total)."""
    return _table(
        [_sort_header(key, header, sorted_by, descending, on_sort) for key, header in columns],
        [rx.foreach(items, render_row), *after],
        table_id,
        size,
    )
