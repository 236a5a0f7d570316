"""A Plotly figure from the state, as a component named for screen readers."""

from __future__ import annotations

import reflex as rx
from plotly.graph_objs import Figure as PlotlyFigure


def chart(figure: rx.Var, label: str | rx.Var, chart_id: str | None = None) -> rx.Component:
    """A Plotly figure from the state, named for screen readers."""
    return rx.box(
        rx.plotly.finance(
            data=figure.to(PlotlyFigure),
            config={"displayModeBar": False},
            style={"width": "100%"},
        ),
        role="img",
        aria_label=label,
        id=chart_id,
        width="100%",
        # Let grids and flex rows shrink the chart when the window narrows.
        min_width="0",
        overflow="hidden",
    )
