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
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(items, render_row)),
            variant="surface",
            size=size,
            width="100%",
            id=table_id,
        ),
        overflow_x="auto",
        width="100%",
    )
