"""Plotly figures of scores and explanations, in the reader's language (titles, labels and
the number format).

Figures are plain dicts, not `go.Figure`: they are built on every score and sent to the
browser, and skipping Plotly's validation keeps that off the hot path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from credit_app.i18n import Words

APPROVE_COLOUR = "#0f9f6e"
REFUSE_COLOUR = "#d9423a"
NEUTRAL_COLOUR = "#94a3b8"
ACCENT_COLOUR = "#0d9488"
THRESHOLD_COLOUR = "#b45309"
WATERFALL_FACTORS = 8
# The threshold's and the client's labels sit on a light box: no one colour of text reaches
# 4.5:1 against both the light and the dark page, but this orange is 5:1 on the box.
_MARK_LABEL: dict[str, Any] = {"bgcolor": "rgba(255,255,255,0.92)", "borderpad": 2}

Figure = dict[str, Any]


def layout(words: Words, height: int, **extra: Any) -> dict[str, Any]:
    return {
        "height": height,
        "separators": words.formats.plotly_separators,
        "margin": {"l": 10, "r": 20, "t": 30, "b": 30},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "Inter, system-ui, sans-serif", "size": 12},
        **extra,
    }


def gauge_figure(
    words: Words, probability: float, threshold: float, reference: float | None = None
) -> Figure:
    """Probability of default in %, the threshold marked; the change from `reference` if any."""
    value, limit = probability * 100, threshold * 100
    # Most scores sit well below 50 %: a half-scale dial keeps them readable.
    top = 50 if max(value, limit) < 50 else 100
    delta = {}
    if reference is not None:
        delta = {
            "reference": round(reference * 100, 2),
            "valueformat": ".1f",
            "suffix": words("chart.points_suffix"),
            "increasing": {"color": REFUSE_COLOUR, "symbol": "▲ "},
            "decreasing": {"color": APPROVE_COLOUR, "symbol": "▼ "},
        }
    return {
        "data": [
            {
                "type": "indicator",
                "mode": "gauge+number+delta" if delta else "gauge+number",
                "value": round(value, 2),
                "number": {"suffix": " %", "valueformat": ".1f"},
                **({"delta": delta} if delta else {}),
                "gauge": {
                    "axis": {"range": [0, top], "ticksuffix": "%"},
                    "bar": {"color": REFUSE_COLOUR if value >= limit else APPROVE_COLOUR},
                    "steps": [
                        {"range": [0, limit], "color": "rgba(15,159,110,0.14)"},
                        {"range": [limit, top], "color": "rgba(217,66,58,0.14)"},
                    ],
                    "threshold": {
                        "line": {"color": THRESHOLD_COLOUR, "width": 4},
                        "thickness": 0.9,
                        "value": limit,
                    },
                },
            }
        ],
        "layout": layout(
            words,
            200,
            margin={"l": 30, "r": 30, "t": 20, "b": 40},
            annotations=[
                {
                    "text": words("chart.threshold", value=words.formats.percent(threshold)),
                    "x": 0.5,
                    "y": -0.08,
                    "xref": "paper",
                    "yref": "paper",
                    "yanchor": "top",
                    "showarrow": False,
                    **_MARK_LABEL,
                    "font": {"color": THRESHOLD_COLOUR, "size": 13},
                }
            ],
        ),
    }


def waterfall_figure(
    words: Words, base_value: float, contributions: Sequence[tuple[str, Any, float]]
) -> Figure:
    """TreeSHAP log-odds from the average applicant to this one: the top factors, then the rest."""
    top = list(contributions[:WATERFALL_FACTORS])
    rest = sum(c for _, _, c in contributions[WATERFALL_FACTORS:])
    labels = [f"{words.label(f)}: {words.value(f, v)}" for f, v, _ in top]
    steps = [c for _, _, c in top] + [rest]
    return {
        "data": [
            {
                "type": "waterfall",
                "orientation": "h",
                "base": round(base_value, 4),
                "measure": [*["relative"] * len(steps), "total"],
                "y": [*labels, words("chart.other_factors"), words("chart.this_applicant")],
                "x": [*(round(v, 4) for v in steps), 0],
                "text": [
                    *(words.formats.signed(v, 2) for v in steps),
                    words.formats.number(base_value + sum(steps), 2),
                ],
                "textposition": "auto",
                "cliponaxis": False,
                "increasing": {"marker": {"color": REFUSE_COLOUR}},
                "decreasing": {"marker": {"color": APPROVE_COLOUR}},
                "totals": {"marker": {"color": NEUTRAL_COLOUR}},
                "connector": {"line": {"color": NEUTRAL_COLOUR, "width": 1}},
                "hovertemplate": "%{y}<br>%{x:+.3f} " + words("chart.log_odds") + "<extra></extra>",
            }
        ],
        "layout": layout(
            words,
            60 + 30 * (len(steps) + 1),
            margin={"l": 10, "r": 60, "t": 10, "b": 40},
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": words("chart.waterfall_axis")}},
            showlegend=False,
        ),
    }


def _scale(words: Words, feature: str) -> tuple[float, str]:
    """Day counts are shown in years before the application; the rest as they are."""
    if feature.startswith("DAYS_"):
        return -1 / 365.25, words("chart.years_axis")
    return 1.0, ""


def _share_below(edges: Sequence[float], proportions: Sequence[float], value: float) -> float:
    """Share of the training population below `value`, interpolating inside its bin."""
    below = 0.0
    for (low, high), share in zip(pairwise(edges), proportions, strict=False):
        if value >= high:
            below += share
        elif value > low:
            below += share * (value - low) / (high - low)
    return min(max(below, 0.0), 1.0)


def _numeric_population(
    words: Words, feature: str, reference: Mapping[str, Any], value: float | None
) -> Figure:
    """Density of the training population per quantile bin, the client as a vertical line."""
    edges, shares = reference["edges"], reference["proportions"]
    factor, unit = _scale(words, feature)
    xs, widths, heights = [], [], []
    for (low, high), share in zip(pairwise(edges), shares, strict=False):
        a, b = sorted((low * factor, high * factor))
        xs.append(round((a + b) / 2, 6))
        widths.append(b - a)
        heights.append(share / ((b - a) or 1e-9))
    title = f"{words.label(feature)}: {words.value(feature, value)}"
    marks: dict[str, Any] = {"shapes": [], "annotations": []}
    if value is not None:
        below = _share_below(edges, shares, value)
        # Day counts are negative: more days before the application is a lower number.
        higher = below if factor > 0 else 1 - below
        title += " " + words("chart.higher_than", share=words.formats.percent(higher, 0))
        x = value * factor
        marks["shapes"] = [
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": THRESHOLD_COLOUR, "width": 3},
            }
        ]
        marks["annotations"] = [
            {
                "text": words("chart.this_client"),
                "x": x,
                "y": 1,
                "yref": "paper",
                "showarrow": False,
                "xanchor": "left",
                **_MARK_LABEL,
                "font": {"color": THRESHOLD_COLOUR},
            }
        ]
    return {
        "data": [
            {
                "type": "bar",
                "x": xs,
                "y": heights,
                "width": widths,
                "marker": {"color": NEUTRAL_COLOUR, "line": {"width": 1, "color": "white"}},
                "hoverinfo": "skip",
            }
        ],
        "layout": layout(
            words,
            230,
            title={"text": title, "x": 0, "font": {"size": 13}},
            margin={"l": 10, "r": 20, "t": 40, "b": 40},
            xaxis={"title": {"text": unit or words.label(feature)}},
            yaxis={"visible": False},
            showlegend=False,
            **marks,
        ),
    }


def _categorical_population(
    words: Words, feature: str, reference: Mapping[str, Any], value: str | None
) -> Figure:
    """Share of each category in the training population, the client's highlighted."""
    names = list(reference["frequencies"])
    marked = names.index(value) if value in names else None
    shown = [words.category(feature, n) for n in names]
    mark = words("chart.this_client")
    labels = [f"{n}  ◀ {mark}" if i == marked else n for i, n in enumerate(shown)]
    colours = [ACCENT_COLOUR if i == marked else NEUTRAL_COLOUR for i in range(len(names))]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [round(reference["frequencies"][n] * 100, 2) for n in names],
                "marker": {"color": colours},
                "hovertemplate": "%{y}<br>%{x:.1f} % "
                + words("chart.of_training_applicants")
                + "<extra></extra>",
            }
        ],
        "layout": layout(
            words,
            60 + 22 * len(names),
            title={"text": f"{words.label(feature)}: {words.value(feature, value)}", "x": 0},
            margin={"l": 10, "r": 20, "t": 40, "b": 40},
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": words("chart.share_of_training")}, "ticksuffix": "%"},
            showlegend=False,
        ),
    }


def population_figure(
    words: Words, feature: str, reference: Mapping[str, Any], value: Any
) -> Figure | None:
    """Where the client stands in the training population on one feature."""
    if reference.get("kind") == "categorical":
        return _categorical_population(words, feature, reference, value)
    if not reference.get("edges") or isinstance(value, str):
        return None
    return _numeric_population(words, feature, reference, value)


def histogram_figure(words: Words, counts: Sequence[int], threshold: float) -> Figure:
    """Scores of a batch in equal bins from 0 to 100 %, the threshold as a vertical line."""
    bins = len(counts)
    width = 100 / bins
    centres = [round(width * (i + 0.5), 2) for i in range(bins)]
    limit = threshold * 100
    return {
        "data": [
            {
                "type": "bar",
                "x": centres,
                "y": counts,
                "width": width * 0.95,
                "marker": {
                    "color": [REFUSE_COLOUR if c >= limit else APPROVE_COLOUR for c in centres]
                },
                "hovertemplate": "%{x:.1f} %: %{y} "
                + words("chart.applicants")
                + "<extra></extra>",
            }
        ],
        "layout": layout(
            words,
            260,
            xaxis={
                "title": {"text": words("chart.probability_axis")},
                "ticksuffix": "%",
                "range": [0, 100],
            },
            yaxis={"title": {"text": words("chart.applicants_axis")}},
            shapes=[
                {
                    "type": "line",
                    "x0": limit,
                    "x1": limit,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": THRESHOLD_COLOUR, "width": 3, "dash": "dash"},
                }
            ],
            annotations=[
                {
                    "text": words("chart.threshold", value=words.formats.percent(threshold)),
                    "x": limit,
                    "y": 1,
                    "yref": "paper",
                    "showarrow": False,
                    "xanchor": "left",
                    **_MARK_LABEL,
                    "font": {"color": THRESHOLD_COLOUR},
                }
            ],
            showlegend=False,
        ),
    }
