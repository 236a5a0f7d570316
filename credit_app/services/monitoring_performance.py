"""Monitoring for analysts: how well the model did on the applications of a window, by
application month, once their outcomes are known (realised), and what its own probabilities
say it should do before they are (estimated).

Outcomes are recorded per client, months after the decision. Each client's latest outcome
is paired with the decision that was acted on: that client's latest successful prediction
made before the outcome was recorded. The pair counts in the month of that prediction, so
a month's figures only grow as its outcomes mature; the window's applications whose outcome
is not known yet are counted as awaiting it.

Only plain columns of the prediction log are read, never its JSON inputs; the pairing is
done in SQL, joined on the indexed client ids, from the window's predictions only. The
estimates add up the hourly rollups' probability histograms (`ProbabilityHistogram`): a
month of a million predictions is read as a few thousand rollups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
from sqlalchemy import ColumnElement, Table, and_, exists, func, select
from sqlmodel import Session

from credit_app.db.models import Outcome, Prediction
from credit_app.ml import performance as pf
from credit_app.ml.card import ModelCard
from credit_app.services.actors import Actor, Permission
from credit_app.services.models import ModelStore
from credit_app.services.monitoring_rollups import Activity, window_activity
from credit_app.services.time_windows import Window

#: An AUC this unlikely to be at or above the model card's (one-sided) is flagged.
BELOW_CARD_ALPHA = 0.01
Step = Literal["day", "week"]
#: Estimates by day for a window of up to two days, by week (from Monday) beyond.
STEPS: dict[Step, timedelta] = {"day": timedelta(days=1), "week": timedelta(days=7)}
_MONDAY = datetime(1970, 1, 5, tzinfo=UTC).timestamp()  # weeks start on a Monday

_PREDICTIONS: Table = Prediction.__table__  # type: ignore[attr-defined]
_OUTCOMES: Table = Outcome.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Realised:
    """What the outcomes of a period say, measured only with enough defaults and good payers."""

    auc: pf.AucInterval
    below_card_p: float  # one-sided p-value of "the AUC is below the model card's"
    below_card: bool  # that p-value is under BELOW_CARD_ALPHA
    ks: float
    confusion: pf.Confusion  # at the model card's threshold
    cost_per_applicant: float  # with the model card's costs
    calibration: list[pf.CalibrationBin]


@dataclass(frozen=True)
class MonthPerformance:
    """The applications of one month (`month` "YYYY-MM", UTC) or of the whole window (None)."""

    month: str | None
    n: int  # applications whose outcome is known
    defaults: int
    awaiting: int  # applications whose outcome is not known yet
    enough_data: bool
    realised: Realised | None  # None without enough data


@dataclass(frozen=True)
class EstimatedPoint:
    """A day or week [start, end): expected figures from the predicted probabilities of every
    successful prediction, and the realised ones of those whose outcome is known."""

    start: datetime
    end: datetime
    predictions: int
    expected_default_rate: float | None  # None without a prediction
    enough_data: bool  # enough expected defaults and good payers for an expected AUC
    expected_auc: pf.AucInterval | None
    outcomes: int
    defaults: int
    realised_default_rate: float | None  # None without an outcome
    realised_auc: pf.AucInterval | None  # None without enough outcomes


@dataclass(frozen=True)
class Performance:
    window: Window
    card_auc: float
    threshold: float
    cost_fn: float
    cost_fp: float
    min_defaults: int
    overall: MonthPerformance
    months: list[MonthPerformance]
    estimate_step: Step
    estimated_overall: EstimatedPoint
    estimated: list[EstimatedPoint]


def _successful(table: Any) -> list[ColumnElement[bool]]:
    """A prediction that returned a decision (the log also keeps the failed calls)."""
    return [
        table.c.status < 400,
        table.c.decision.is_not(None),
        table.c.probability.is_not(None),
    ]


def _latest_first(table: Any, field: str) -> ColumnElement[int]:
    """1 for each client's latest row of `table` by its time `field` (then by id), 2 for the
    one before, ..."""
    return func.row_number().over(
        partition_by=table.c.client_id, order_by=(table.c[field].desc(), table.c.id.desc())
    )


def _window_clients(window: Window) -> ColumnElement[Any]:
    """The clients of the window's requests: only their history is read. Failed requests
    count too (their clients' decisions outside the window are filtered out after), so the
    index `ix_predictions_created_at_channel_client` alone answers."""
    p = _PREDICTIONS
    return (
        select(p.c.client_id)
        .where(*window.clauses(), p.c.client_id.is_not(None))
        .distinct()
        .scalar_subquery()
    )


def _pairs(session: Session, window: Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time, probability and outcome of the window's applications that were acted on: each
    client's latest outcome with that client's latest successful prediction before it.

    Window functions over the history of the window's clients, rather than correlated
    NOT EXISTS: PostgreSQL plans those as scans of the whole log while its statistics are
    missing (a table just loaded), seconds for a few thousand rows."""
    p, o = _PREDICTIONS, _OUTCOMES
    clients = _window_clients(window)
    latest = (
        select(
            o.c.client_id,
            o.c.recorded_at,
            o.c.defaulted,
            _latest_first(o, "recorded_at").label("rank"),
        )
        .where(o.c.client_id.in_(clients))
        .subquery("latest_outcome")
    )
    decided = (
        select(
            p.c.created_at,
            p.c.channel,
            p.c.probability,
            latest.c.defaulted,
            _latest_first(p, "created_at").label("rank"),
        )
        .select_from(
            p.join(
                latest,
                and_(
                    latest.c.client_id == p.c.client_id,
                    latest.c.rank == 1,
                    p.c.created_at < latest.c.recorded_at,
                ),
            )
        )
        .where(*_successful(p))
        .subquery("decided")
    )
    query = select(decided.c.created_at, decided.c.probability, decided.c.defaulted).where(
        decided.c.rank == 1, *window.clauses(decided)
    )
    rows = session.execute(query).all()
    return (
        np.array([r[0].timestamp() for r in rows], dtype=float),
        np.array([r[1] for r in rows], dtype=float),
        np.array([bool(r[2]) for r in rows], dtype=bool),
    )


def _awaiting(session: Session, window: Window) -> np.ndarray:
    """Times of the window's applications still awaiting their outcome: the client's latest
    successful prediction, with no outcome recorded after it."""
    p, o = _PREDICTIONS, _OUTCOMES
    latest = (
        select(
            p.c.client_id, p.c.created_at, p.c.channel, _latest_first(p, "created_at").label("rank")
        )
        .where(p.c.client_id.in_(_window_clients(window)), *_successful(p))
        .subquery("latest_prediction")
    )
    query = select(latest.c.created_at).where(
        latest.c.rank == 1,
        *window.clauses(latest),
        ~exists().where(o.c.client_id == latest.c.client_id, o.c.recorded_at > latest.c.created_at),
    )
    return np.array([r[0].timestamp() for r in session.execute(query).all()], dtype=float)


def _months(moments: np.ndarray) -> np.ndarray:
    """The UTC month ("YYYY-MM") of each moment (epoch seconds)."""
    return np.array([f"{datetime.fromtimestamp(m, UTC):%Y-%m}" for m in moments], dtype=str)


def _realised(defaulted: np.ndarray, probability: np.ndarray, card: ModelCard) -> Realised:
    auc = pf.auc_with_interval(defaulted, probability)
    below = pf.auc_below_reference_p(auc.auc, auc.se, card.metrics.auc)
    counts = pf.confusion(defaulted, probability, card.threshold)
    costs = card.costs
    return Realised(
        auc=auc,
        below_card_p=below,
        below_card=below < BELOW_CARD_ALPHA,
        ks=pf.ks(defaulted, probability),
        confusion=counts,
        cost_per_applicant=pf.business_cost(counts, costs.fn, costs.fp) / defaulted.size,
        calibration=pf.calibration_by_decile(defaulted, probability),
    )


def _month(
    month: str | None,
    defaulted: np.ndarray,
    probability: np.ndarray,
    awaiting: int,
    card: ModelCard,
) -> MonthPerformance:
    n, defaults = int(defaulted.size), int(np.count_nonzero(defaulted))
    enough = pf.enough_data(n, defaults)
    return MonthPerformance(
        month=month,
        n=n,
        defaults=defaults,
        awaiting=awaiting,
        enough_data=enough,
        realised=_realised(defaulted, probability, card) if enough else None,
    )


def estimate_step(window: Window) -> Step:
    """A day for a window of up to two days, a week beyond (as `Window.bucket`, one step
    coarser: an expected AUC needs many more predictions than a count does)."""
    return "day" if window.end - window.start <= timedelta(days=2) else "week"


def _step_starts(moments: np.ndarray, step: timedelta) -> np.ndarray:
    size = step.total_seconds()
    return (moments - _MONDAY) // size * size + _MONDAY


def _estimated(
    start: datetime,
    end: datetime,
    scored: pf.ProbabilityHistogram,
    defaulted: np.ndarray,
    outcome_probability: np.ndarray,
) -> EstimatedPoint:
    expected_defaults = round(scored.expected_defaults)
    enough = pf.enough_data(scored.n, expected_defaults)
    outcomes, defaults = int(defaulted.size), int(np.count_nonzero(defaulted))
    return EstimatedPoint(
        start=start,
        end=end,
        predictions=scored.n,
        expected_default_rate=scored.expected_default_rate(),
        enough_data=enough,
        expected_auc=scored.expected_auc() if enough else None,
        outcomes=outcomes,
        defaults=defaults,
        realised_default_rate=defaults / outcomes if outcomes else None,
        realised_auc=(
            pf.auc_with_interval(defaulted, outcome_probability)
            if pf.enough_data(outcomes, defaults)
            else None
        ),
    )


def _scored_by_step(
    activity: dict[tuple[datetime, str], Activity], step: timedelta
) -> dict[float, pf.ProbabilityHistogram]:
    """The predicted probabilities of the window's decisions, added up per day or week
    (keyed by its start, epoch seconds) from the window's hours."""
    hours = np.array([hour.timestamp() for hour, _ in activity], dtype=float)
    found: dict[float, pf.ProbabilityHistogram] = {}
    for begin, part in zip(_step_starts(hours, step).tolist(), activity.values(), strict=True):
        found.setdefault(begin, pf.ProbabilityHistogram()).add(part.probabilities)
    return found


def _estimates(
    window: Window,
    scored: dict[float, pf.ProbabilityHistogram],
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> list[EstimatedPoint]:
    step = STEPS[estimate_step(window)]
    paired_at, paired_probability, defaulted = pairs
    paired_steps = _step_starts(paired_at, step)
    points = []
    for begin in np.unique(np.r_[list(scored), paired_steps]):
        start = datetime.fromtimestamp(float(begin), UTC)
        paired = paired_steps == begin
        points.append(
            _estimated(
                start,
                start + step,
                scored.get(float(begin), pf.ProbabilityHistogram()),
                defaulted[paired],
                paired_probability[paired],
            )
        )
    return points


def performance(session: Session, actor: Actor, window: Window, models: ModelStore) -> Performance:
    """Realised performance by application month and over the window (AUC with its DeLong
    interval and a one-sided test against the model card's, KS, confusion and business
    cost at the card's threshold, calibration by decile with its Jeffreys light), and the
    AUC and default rate expected from the predicted probabilities by day or week, next to
    the realised ones. The expected figures hold only if the probabilities are calibrated."""
    actor.require(Permission.view_monitoring)
    card = models.get().card
    pairs = _pairs(session, window)
    paired_at, probability, defaulted = pairs
    awaiting_at = _awaiting(session, window)
    scored = _scored_by_step(window_activity(session, window), STEPS[estimate_step(window)])
    overall = pf.ProbabilityHistogram()
    for part in scored.values():
        overall.add(part)
    paired_months, awaiting_months = _months(paired_at), _months(awaiting_at)
    months = [
        _month(
            month,
            defaulted[paired_months == month],
            probability[paired_months == month],
            int(np.count_nonzero(awaiting_months == month)),
            card,
        )
        for month in sorted({*paired_months.tolist(), *awaiting_months.tolist()})
    ]
    return Performance(
        window=window,
        card_auc=card.metrics.auc,
        threshold=card.threshold,
        cost_fn=card.costs.fn,
        cost_fp=card.costs.fp,
        min_defaults=pf.MIN_DEFAULTS,
        overall=_month(None, defaulted, probability, awaiting_at.size, card),
        months=months,
        estimate_step=estimate_step(window),
        estimated_overall=_estimated(window.start, window.end, overall, defaulted, probability),
        estimated=_estimates(window, scored, pairs),
    )
