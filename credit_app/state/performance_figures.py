"""The performance page in the reader's language: its Plotly figures (plain dicts, as in
`state.figures`: AUC over time against the model card's, calibration by decile) and the
rows of its tables, every flag said in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date

from credit_app.i18n import Words
from credit_app.ml.performance import AucInterval, CalibrationBin
from credit_app.services.monitoring_performance import (
    EstimatedPoint,
    MonthPerformance,
    Performance,
    Step,
)
from credit_app.services.time_windows import Window
from credit_app.state.figures import (
    ACCENT_COLOUR,
    APPROVE_COLOUR,
    NEUTRAL_COLOUR,
    REFUSE_COLOUR,
    THRESHOLD_COLOUR,
    Figure,
    layout,
)
from credit_app.state.sorting import SORT

ESTIMATE_COLOUR = "#6d28d9"
LIGHT_COLOURS = {"green": APPROVE_COLOUR, "amber": THRESHOLD_COLOUR, "red": REFUSE_COLOUR}
# A shape per light too, so that the light is not told by colour alone.
LIGHT_SYMBOLS = {"green": "circle", "amber": "diamond", "red": "x"}


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first moment of a "YYYY-MM" month (UTC) and of the next."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=UTC)
    return start, datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)


def _middle(start: datetime, end: datetime, window: Window) -> str:
    """The middle of [start, end) within the window: where its applications were made."""
    low, high = max(start, window.start), min(end, window.end)
    return (low + (high - low) / 2).isoformat()


def _auc_trace(
    x: list[str], intervals: Sequence[AucInterval], name: str, colour: str, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "x": x,
        "y": [round(i.auc, 4) for i in intervals],
        "error_y": {
            "type": "data",
            "symmetric": False,
            "array": [round(i.upper - i.auc, 4) for i in intervals],
            "arrayminus": [round(i.auc - i.lower, 4) for i in intervals],
            "color": colour,
            "thickness": 1.5,
        },
        "name": name,
        **extra,
    }


def auc_figure(
    words: Words,
    months: Sequence[MonthPerformance],
    estimated: Sequence[EstimatedPoint],
    card_auc: float,
    window: Window,
) -> Figure:
    """Realised AUC by application month and estimated AUC by day or week, each with its
    95 % interval as error bars, against the model card's AUC. A month significantly below
    the card is marked with a cross (and says so on hover)."""
    judged = [m for m in months if m.realised is not None and m.month is not None]
    realised = [m.realised.auc for m in judged if m.realised is not None]
    below = [m.realised is not None and m.realised.below_card for m in judged]
    points = [p for p in estimated if p.expected_auc is not None]
    expected = [p.expected_auc for p in points if p.expected_auc is not None]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [window.start.isoformat(), window.end.isoformat()],
            "y": [round(card_auc, 4)] * 2,
            "name": words("monitoring.performance_card_line"),
            "line": {"color": NEUTRAL_COLOUR, "dash": "dash"},
            "hoverinfo": "skip",
        },
        _auc_trace(
            [_middle(*month_bounds(str(m.month)), window) for m in judged],
            realised,
            words("monitoring.performance_realised_line"),
            ACCENT_COLOUR,
            line={"color": ACCENT_COLOUR},
            marker={
                "color": [REFUSE_COLOUR if flag else ACCENT_COLOUR for flag in below],
                "symbol": ["x" if flag else "circle" for flag in below],
                "size": [13 if flag else 9 for flag in below],
            },
            text=[
                words(
                    "monitoring.performance_below_card"
                    if flag
                    else "monitoring.performance_not_below_card_short"
                )
                for flag in below
            ],
            hovertemplate="%{x|%Y-%m}: %{y:.3f}<br>%{text}<extra></extra>",
        ),
        _auc_trace(
            [_middle(p.start, p.end, window) for p in points],
            expected,
            words("monitoring.performance_estimated_line"),
            ESTIMATE_COLOUR,
            line={"color": ESTIMATE_COLOUR, "dash": "dot"},
            marker={"color": ESTIMATE_COLOUR, "symbol": "diamond-open", "size": 9},
        ),
    ]
    return {
        "data": traces,
        "layout": layout(
            words,
            320,
            xaxis={"type": "date", "range": [window.start.isoformat(), window.end.isoformat()]},
            yaxis={"title": {"text": words("monitoring.performance_auc_axis")}},
            legend={"orientation": "h", "y": -0.25},
        ),
    }


def calibration_figure(words: Words, bins: Sequence[CalibrationBin]) -> Figure:
    """Observed default rate against mean predicted probability by decile, one trace per
    traffic light (named in the legend, with a shape of its own), the diagonal for perfect
    calibration."""
    top = max([0.01, *(b.mean_pd for b in bins), *(b.default_rate for b in bins)]) * 100 * 1.05
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [0, round(top, 2)],
            "y": [0, round(top, 2)],
            "name": words("monitoring.performance_perfect_calibration"),
            "line": {"color": NEUTRAL_COLOUR, "dash": "dash"},
            "hoverinfo": "skip",
        }
    ]
    for light, colour in LIGHT_COLOURS.items():
        mine = [b for b in bins if b.light == light]
        if not mine:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [round(b.mean_pd * 100, 2) for b in mine],
                "y": [round(b.default_rate * 100, 2) for b in mine],
                "name": words(f"monitoring.performance_light_{light}"),
                "marker": {"color": colour, "symbol": LIGHT_SYMBOLS[light], "size": 11},
            }
        )
    axis = {"ticksuffix": "%", "range": [0, round(top, 2)]}
    return {
        "data": traces,
        "layout": layout(
            words,
            320,
            xaxis={"title": {"text": words("monitoring.performance_predicted_axis")}, **axis},
            yaxis={"title": {"text": words("monitoring.performance_observed_axis")}, **axis},
            legend={"orientation": "h", "y": -0.3},
        ),
    }


# -- words -------------------------------------------------------------------------------

SMALL_P = 0.001


def auc_text(words: Words, auc: AucInterval) -> str:
    """An AUC with its 95 % interval: "0.742 (0.713 to 0.771)"."""
    f = words.formats
    return words(
        "monitoring.performance_auc_interval",
        auc=f.number(auc.auc, 3),
        lower=f.number(auc.lower, 3),
        upper=f.number(auc.upper, 3),
    )


def p_text(words: Words, p: float) -> str:
    f = words.formats
    if p < SMALL_P:
        return words("monitoring.performance_p_below", value=f.number(SMALL_P, 3))
    return f.number(p, 3)


def not_enough_text(words: Words, n: int, defaults: int, need: int) -> str:
    """Why a period is not judged: too few defaults, or (rarely) too few good payers."""
    f = words.formats
    if defaults < need:
        return words("monitoring.performance_not_enough", defaults=f.number(defaults), need=need)
    return words("monitoring.performance_not_enough_good", good=f.number(n - defaults), need=need)


def month_label(words: Words, month: str | None) -> str:
    """ "November 2026" in the reader's language; the whole window for None."""
    if month is None:
        return words("monitoring.performance_all_months")
    return format_date(month_bounds(month)[0], "LLLL y", locale=words.formats.locale)


def _lights_text(words: Words, bins: Sequence[CalibrationBin]) -> str:
    counts = {light: sum(b.light == light for b in bins) for light in LIGHT_COLOURS}
    return words(
        "monitoring.performance_lights",
        green=counts["green"],
        amber=counts["amber"],
        red=counts["red"],
    )


def month_row(words: Words, month: MonthPerformance, need: int) -> dict[str, Any]:
    """A row of the table by month: formatted cells, the flags in words, and the values
    it sorts by."""
    f = words.formats
    realised = month.realised
    row: dict[str, Any] = {
        "month": month_label(words, month.month),
        "n": f.number(month.n),
        "defaults": f.number(month.defaults),
        "awaiting": f.number(month.awaiting),
        "enough": realised is not None,
        "not_enough": "" if realised else not_enough_text(words, month.n, month.defaults, need),
        SORT: {
            "month": month.month,
            "n": month.n,
            "defaults": month.defaults,
            "awaiting": month.awaiting,
        },
    }
    if realised is None:
        return row
    counts = realised.confusion
    below_key = "below_card" if realised.below_card else "not_below_card"
    row |= {
        "auc": auc_text(words, realised.auc),
        "below": words(
            f"monitoring.performance_{below_key}_p", p=p_text(words, realised.below_card_p)
        ),
        "below_flag": realised.below_card,
        "ks": f.number(realised.ks, 3),
        "tp": f.number(counts.tp),
        "fp": f.number(counts.fp),
        "tn": f.number(counts.tn),
        "fn": f.number(counts.fn),
        "cost": f.number(realised.cost_per_applicant, 3),
        "calibration": _lights_text(words, realised.calibration),
    }
    row[SORT] |= {
        "auc": realised.auc.auc,
        "below": realised.below_card_p,
        "ks": realised.ks,
        "tp": counts.tp,
        "fp": counts.fp,
        "tn": counts.tn,
        "fn": counts.fn,
        "cost": realised.cost_per_applicant,
        "calibration": sum(b.light != "green" for b in realised.calibration),
    }
    return row


def verdict(words: Words, found: Performance) -> tuple[str, str]:
    """The window's realised AUC against the model card's in a sentence, and its level:
    ok, act, or none (not enough data to judge)."""
    overall, f = found.overall, words.formats
    realised = overall.realised
    if realised is None:
        return not_enough_text(words, overall.n, overall.defaults, found.min_defaults), "none"
    level = "act" if realised.below_card else "ok"
    return (
        words(
            f"monitoring.performance_verdict_{level}",
            auc=auc_text(words, realised.auc),
            card=f.number(found.card_auc, 3),
            p=p_text(words, realised.below_card_p),
        ),
        level,
    )


def _light_verdict(words: Words, b: CalibrationBin) -> str:
    """The light in words, with its direction: more or fewer defaults than predicted."""
    if b.light == "green":
        return words("monitoring.performance_light_green")
    direction = "more" if b.p_value < 0.5 else "fewer"
    return words(f"monitoring.performance_light_{b.light}_{direction}")


def calibration_rows(words: Words, bins: Sequence[CalibrationBin]) -> list[dict[str, Any]]:
    """A row of the calibration table per decile, with the values it sorts by (the light
    from green to red)."""
    f = words.formats
    return [
        {
            "decile": str(number),
            "range": words(
                "monitoring.performance_pd_range",
                low=f.percent(b.low, 1),
                high=f.percent(b.high, 1),
            ),
            "n": f.number(b.n),
            "defaults": f.number(b.defaults),
            "predicted": f.percent(b.mean_pd, 1),
            "observed": f.percent(b.default_rate, 1),
            "p": p_text(words, b.p_value),
            "light": b.light,
            "verdict": _light_verdict(words, b),
            SORT: {
                "decile": number,
                "range": b.low,
                "n": b.n,
                "defaults": b.defaults,
                "predicted": b.mean_pd,
                "observed": b.default_rate,
                "p": b.p_value,
                "light": list(LIGHT_COLOURS).index(b.light),
            },
        }
        for number, b in enumerate(bins, start=1)
    ]


def _period(words: Words, point: EstimatedPoint, step: Step) -> str:
    day = format_date(point.start, "short", locale=words.formats.locale)
    return words(f"monitoring.performance_{step}_of", date=day)


def estimate_row(words: Words, point: EstimatedPoint, step: Step, need: int) -> dict[str, Any]:
    """A day or week: what the probabilities lead to expect, and what was realised, with
    the values it sorts by."""
    f = words.formats
    rate = point.expected_default_rate
    expected_defaults = round((rate or 0.0) * point.predictions)
    realised_rate = point.realised_default_rate
    if point.realised_auc is not None:
        realised_auc = auc_text(words, point.realised_auc)
    elif point.outcomes:
        realised_auc = not_enough_text(words, point.outcomes, point.defaults, need)
    else:
        realised_auc = words("monitoring.performance_no_outcome")
    return {
        "period": _period(words, point, step),
        "predictions": f.number(point.predictions),
        "expected_rate": f.percent(rate, 1) if rate is not None else "—",
        "expected_auc": auc_text(words, point.expected_auc)
        if point.expected_auc is not None
        else words(
            "monitoring.performance_estimate_not_enough",
            expected=f.number(expected_defaults),
            need=need,
        ),
        "outcomes": f.number(point.outcomes),
        "realised_rate": f.percent(realised_rate, 1) if realised_rate is not None else "—",
        "realised_auc": realised_auc,
        SORT: {
            "period": point.start.timestamp(),
            "predictions": point.predictions,
            "expected_rate": rate,
            "expected_auc": point.expected_auc.auc if point.expected_auc else None,
            "outcomes": point.outcomes,
            "realised_rate": realised_rate,
            "realised_auc": point.realised_auc.auc if point.realised_auc else None,
        },
    }
