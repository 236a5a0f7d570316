"""Plotly figures of the monitoring pages, in the reader's language (plain dicts, as in
`state.figures`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from credit_app.i18n import Words
from credit_app.services.monitoring import ApprovalDay, LatencyPoint
from credit_app.services.time_windows import Window
from credit_app.state.figures import (
    ACCENT_COLOUR,
    NEUTRAL_COLOUR,
    REFUSE_COLOUR,
    THRESHOLD_COLOUR,
    Figure,
    layout,
)

CHANNEL_COLOURS = {"ui": ACCENT_COLOUR, "api": "#6d28d9", "batch": THRESHOLD_COLOUR}
_DASHES = {"p50": "solid", "p95": "dash", "p99": "dot"}


def _times(moments: Sequence[datetime]) -> list[str]:
    return [m.isoformat() for m in moments]


def _time_axis(window: Window) -> dict[str, Any]:
    """The whole window on a time axis, however few points fall in it."""
    return {"type": "date", "range": _times([window.start, window.end])}


def _bars(x: Sequence[Any], y: Sequence[float], name: str, colour: str) -> dict[str, Any]:
    return {"type": "bar", "x": list(x), "y": list(y), "name": name, "marker": {"color": colour}}


def requests_figure(
    words: Words, over_time: Sequence[tuple[datetime, int, int]], window: Window
) -> Figure:
    """Requests per bucket, the failed ones stacked in red."""
    moments = _times([m for m, _, _ in over_time])
    return {
        "data": [
            _bars(
                moments,
                [total - errors for _, total, errors in over_time],
                words("monitoring.served"),
                NEUTRAL_COLOUR,
            ),
            _bars(
                moments,
                [errors for _, _, errors in over_time],
                words("monitoring.failed"),
                REFUSE_COLOUR,
            ),
        ],
        "layout": layout(
            words,
            260,
            barmode="stack",
            xaxis=_time_axis(window),
            yaxis={"title": {"text": words("monitoring.requests_axis")}},
            legend={"orientation": "h", "y": -0.25},
        ),
    }


def latency_figure(words: Words, points: Sequence[LatencyPoint], window: Window) -> Figure:
    """p50, p95 and p99 latency over time, one colour per channel, one dash per percentile."""
    traces: list[dict[str, Any]] = []
    for channel in sorted({p.channel for p in points}):
        mine = [p for p in points if p.channel == channel]
        for name, dash in _DASHES.items():
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": _times([p.bucket for p in mine]),
                    "y": [round(getattr(p, name), 2) for p in mine],
                    "name": f"{words(f'channel.{channel}')} {name}",
                    "line": {"color": CHANNEL_COLOURS.get(channel, NEUTRAL_COLOUR), "dash": dash},
                }
            )
    return {
        "data": traces,
        "layout": layout(
            words,
            300,
            xaxis=_time_axis(window),
            yaxis={"title": {"text": words("monitoring.latency_axis")}, "rangemode": "tozero"},
            legend={"orientation": "h", "y": -0.3},
        ),
    }


def approval_figure(words: Words, days: Sequence[ApprovalDay], window: Window) -> Figure:
    """Approval rate per bucket and channel with the 3-sigma band chance alone allows."""
    traces: list[dict[str, Any]] = []
    for channel in sorted({d.channel for d in days}):
        mine = [d for d in days if d.channel == channel]
        colour = CHANNEL_COLOURS.get(channel, NEUTRAL_COLOUR)
        moments = _times([d.bucket for d in mine])
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": moments,
                "y": [round(d.rate * 100, 2) for d in mine],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [round((d.high - d.rate) * 100, 2) for d in mine],
                    "arrayminus": [round((d.rate - d.low) * 100, 2) for d in mine],
                    "color": colour,
                    "thickness": 1,
                },
                "marker": {
                    "color": colour,
                    "symbol": ["x" if d.outside else "circle" for d in mine],
                    "size": [12 if d.outside else 7 for d in mine],
                },
                "line": {"color": colour},
                "name": words(f"channel.{channel}"),
            }
        )
    return {
        "data": traces,
        "layout": layout(
            words,
            300,
            xaxis=_time_axis(window),
            yaxis={
                "title": {"text": words("monitoring.approval_axis")},
                "ticksuffix": "%",
                "rangemode": "tozero",
            },
            legend={"orientation": "h", "y": -0.3},
        ),
    }


def score_distribution_figure(
    words: Words, edges: Sequence[float], current: Sequence[float], reference: Sequence[float]
) -> Figure:
    """The window's scores against the training's (out-of-fold) in the same bins."""
    centres = [round((a + b) * 50, 2) for a, b in pairwise(edges)]
    return {
        "data": [
            _bars(
                centres,
                [round(s * 100, 2) for s in reference],
                words("monitoring.training"),
                NEUTRAL_COLOUR,
            ),
            _bars(
                centres,
                [round(s * 100, 2) for s in current],
                words("monitoring.this_window"),
                ACCENT_COLOUR,
            ),
        ],
        "layout": layout(
            words,
            280,
            barmode="group",
            xaxis={"title": {"text": words("chart.probability_axis")}, "ticksuffix": "%"},
            yaxis={"title": {"text": words("monitoring.share_axis")}, "ticksuffix": "%"},
            legend={"orientation": "h", "y": -0.3},
        ),
    }


def importance_figure(words: Words, importance: dict[str, float], top: int = 15) -> Figure:
    """The features that weigh most in the model (share of mean |SHAP| in training)."""
    ranked = sorted(importance.items(), key=lambda item: -item[1])[:top]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [words.name(name) for name, _ in ranked],
                "x": [round(share * 100, 2) for _, share in ranked],
                "marker": {"color": ACCENT_COLOUR},
                "hovertemplate": "%{y}: %{x:.1f} %<extra></extra>",
            }
        ],
        "layout": layout(
            words,
            60 + 24 * len(ranked),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": words("monitoring.importance_axis")}, "ticksuffix": "%"},
            showlegend=False,
        ),
    }
