"""Tables of the officer pages: a header row, one row per item, scrolling sideways on phones."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx


def data_table(
    headers: list[str | rx.Var],
    items: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    table_id: str,
    size: str = "2",
) -> rx.Component:
    return _table(
        [rx.table.column_header_cell(h) for h in headers], items, render_row, table_id, size
    )


def _table(
    header_cells: list[rx.Component],
    items: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    table_id: str,
    size: str,
) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*header_cells)),
            rx.table.body(rx.foreach(items, render_row)),
            variant="surface",
            size=size,
            width="100%",
            id=table_id,
        ),
        overflow_x="auto",
        width="100%",
    )


def sortable_table(
    columns: list[tuple[str, str | rx.Var]],
    items: rx.Var[list],
    render_row: Callable[[rx.Var], rx.Component],
    table_id: str,
    *,
    sort_by: Callable[[str], rx.event.EventSpec],
    sorted_column: rx.Var[str],
    descending: rx.Var[bool],
    size: str = "1",
) -> rx.Component:
    """`data_table` whose column headers sort it (on the server: the state's `sort_by`); the
    sorted column says so to screen readers (aria-sort) and with an arrow."""

    def header(key: str, label: str | rx.Var) -> rx.Component:
        here = sorted_column == key
        return rx.table.column_header_cell(
            rx.button(
                label,
                rx.cond(
                    here,
                    rx.icon(
                        rx.cond(descending, "arrow-down", "arrow-up"), size=14, aria_hidden="true"
                    ),
                ),
                variant="ghost",
                size="1",
                on_click=sort_by(key),
            ),
            aria_sort=rx.cond(here, rx.cond(descending, "descending", "ascending"), "none"),
        )

    return _table([header(key, label) for key, label in columns], items, render_row, table_id, size)
