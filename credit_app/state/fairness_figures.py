"""The fairness page's figure and group names, in the reader's language: each group's
disparate-impact ratio with its 95 % interval against the shaded 0.8-1.25 band."""

from __future__ import annotations

from typing import Any

from credit_app.i18n import Words
from credit_app.ml.performance import IMPACT_HIGH, IMPACT_LOW, MISSING, Verdict
from credit_app.services.monitoring_fairness import AGE_BAND, OTHER, Attribute, AttributeFairness
from credit_app.state.figures import (
    ACCENT_COLOUR,
    APPROVE_COLOUR,
    NEUTRAL_COLOUR,
    REFUSE_COLOUR,
    THRESHOLD_COLOUR,
    Figure,
    layout,
)

#: The catalogue's name of each age band (its code, "<25", is no key), youngest first.
AGE_BAND_KEYS = {"<25": "under_25", "25-39": "25_39", "40-59": "40_59", "60+": "60_plus"}
VERDICT_COLOURS: dict[Verdict, str] = {
    "reference": ACCENT_COLOUR,
    "ok": APPROVE_COLOUR,
    "flag_low": REFUSE_COLOUR,
    "flag_high": REFUSE_COLOUR,
    "within_noise": THRESHOLD_COLOUR,
}
#: How verdicts sort: the reference, then from fair to flagged; a group too small to judge
#: (or not judged) has no verdict and sorts last.
VERDICT_ORDER: dict[Verdict, int] = {
    "reference": 0,
    "ok": 1,
    "within_noise": 2,
    "flag_low": 3,
    "flag_high": 3,
}
_BAND_FILL = "rgba(15,159,110,0.13)"


def group_label(words: Words, attribute: Attribute, group: str) -> str:
    """A group's name: the input's category in words (the catalogue's, as on the client
    pages), an age band, or "not given"."""
    if group == MISSING:
        return words("monitoring.fairness_missing")
    if group == OTHER:
        return words("monitoring.fairness_other")
    if attribute == AGE_BAND:
        return words(f"monitoring.fairness_age_{AGE_BAND_KEYS[group]}")
    return words.category(attribute.feature, group)


def group_order(words: Words, attribute: Attribute, group: str) -> int | str | None:
    """What a group sorts by: an age band by age, another group by its name in words;
    applicants whose value was not given by nothing (they stay last)."""
    if group == MISSING:
        return None
    if attribute == AGE_BAND:
        return list(AGE_BAND_KEYS).index(group)
    return group_label(words, attribute, group)


def _order_key(order: int | str | None) -> tuple[bool, int | str]:
    return (order is None, order if order is not None else 0)


def impact_figure(words: Words, found: AttributeFairness) -> Figure:
    """Each group's ratio to the reference with its 95 % interval (groups with no ratio
    left out), the fair band shaded and the reference's 1 marked; in the table's first
    order (ages by age, other groups by name)."""
    shown = sorted(
        (g for g in found.groups if g.impact_ratio is not None),
        key=lambda g: _order_key(group_order(words, found.attribute, g.group)),
    )
    ratios = [g.impact_ratio or 0.0 for g in shown]
    above = [(g.impact_upper or r) - r for g, r in zip(shown, ratios, strict=True)]
    below = [r - (g.impact_lower or r) for g, r in zip(shown, ratios, strict=True)]
    top = max([IMPACT_HIGH * 1.2, *(r + a for r, a in zip(ratios, above, strict=True))])
    f = words.formats
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "markers",
        "x": [group_label(words, found.attribute, g.group) for g in shown],
        "y": [round(r, 4) for r in ratios],
        "error_y": {
            "type": "data",
            "symmetric": False,
            "array": [round(a, 4) for a in above],
            "arrayminus": [round(b, 4) for b in below],
            "color": NEUTRAL_COLOUR,
            "thickness": 1.5,
        },
        "marker": {
            "size": 11,
            "color": [VERDICT_COLOURS.get(g.status, NEUTRAL_COLOUR) for g in shown],
            "symbol": ["diamond" if g.status == "reference" else "circle" for g in shown],
        },
        "text": [words(f"monitoring.fairness_verdict_{g.status}") for g in shown],
        "customdata": [f.number(r, 2) for r in ratios],
        "hovertemplate": "%{x}: %{customdata} (%{text})<extra></extra>",
    }
    return {
        "data": [trace],
        "layout": layout(
            words,
            280,
            showlegend=False,
            shapes=[
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": IMPACT_LOW,
                    "y1": IMPACT_HIGH,
                    "fillcolor": _BAND_FILL,
                    "line": {"width": 0},
                    "layer": "below",
                },
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": 1,
                    "y1": 1,
                    "line": {"color": NEUTRAL_COLOUR, "dash": "dot", "width": 1},
                },
            ],
            yaxis={
                "title": {"text": words("monitoring.fairness_ratio_axis")},
                "range": [0, round(top, 2)],
                # The band's edges as ticks, then every half beyond it.
                "tickvals": [0, 0.5, IMPACT_LOW, 1, IMPACT_HIGH]
                + [half / 2 for half in range(3, int(top * 2) + 1)],
                "zeroline": False,
            },
            xaxis={"type": "category", "automargin": True},
        ),
    }
