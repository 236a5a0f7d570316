"""The analyst's overview: is the model healthy over this window, and why (or why not)?

A few signals, each ok / watch / act (or "not enough data", never a green light on too
little), with its reason as a message key and parameters, and the page that explains it.
Each signal comes from the same use case as its detail page, so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlmodel import Session

from credit_app import routes
from credit_app.ml.performance import wilson_interval
from credit_app.services import monitoring, monitoring_drift, monitoring_performance
from credit_app.services.actors import Actor, Permission
from credit_app.services.models import ModelStore
from credit_app.services.time_windows import Window

Level = Literal["none", "ok", "watch", "act"]
ORDER: dict[str, int] = {"none": 0, "ok": 1, "watch": 2, "act": 3}
#: Error rate: the share of scoring calls that failed (bad input included: a client sending
#: bad data is a problem too). Flagged only when the 95 % interval's lower end is above.
ERROR_WATCH, ERROR_ACT = 0.01, 0.05
MIN_REQUESTS = 100
#: p95 latency of scoring calls, in milliseconds: an officer waits on it; the API's
#: callers have timeouts of a second or two.
LATENCY_WATCH_MS, LATENCY_ACT_MS = 500.0, 2000.0
#: Hours or days of approval rate outside their 3-sigma band: one is worth a look (with
#: dozens of buckets a 3-sigma excursion happens by chance now and then), three act.
APPROVAL_ACT_BUCKETS = 3


@dataclass(frozen=True)
class Signal:
    """One line of the overview: what, how it stands, why (a message and its values)."""

    name: str  # monitoring.signal_{name}
    level: Level
    reason: str  # a message key
    params: dict[str, Any] = field(default_factory=dict)
    link: str = ""


@dataclass(frozen=True)
class Overview:
    window: Window
    level: Level
    signals: list[Signal]


def _worst(levels: list[Level]) -> Level:
    return max(levels, key=ORDER.__getitem__, default="none")


def _score_signal(found: monitoring.Decisions) -> Signal:
    score = found.score
    level: Level = "none" if score.reason_code == "not_enough_data" else score.level
    return Signal(
        "score",
        level,
        f"monitoring.score_{score.reason_code}",
        {"psi": score.psi, "noise": score.psi_critical, "n": score.n},
        routes.MONITORING_DECISIONS,
    )


def _approval_signal(found: monitoring.Decisions) -> Signal:
    outside = sum(day.outside for day in found.approvals)
    if found.approval_rate is None or found.decisions < monitoring.MIN_DAY_DECISIONS:
        return Signal(
            "approval",
            "none",
            "monitoring.signal_approval_none",
            {"n": found.decisions},
            routes.MONITORING_DECISIONS,
        )
    level: Level = "ok" if not outside else "watch" if outside < APPROVAL_ACT_BUCKETS else "act"
    return Signal(
        "approval",
        level,
        f"monitoring.signal_approval_{level}",
        {"rate": found.approval_rate, "outside": outside, "n": found.decisions},
        routes.MONITORING_DECISIONS,
    )


def _drift_signal(found: monitoring_drift.DataDrift) -> Signal:
    report = found.features
    if not report.enough_data:
        return Signal(
            "drift",
            "none",
            "monitoring.drift_summary_not_enough",
            {"n": report.n, "needed": report.min_rows},
            routes.MONITORING_DRIFT,
        )
    drifted = [row.feature for row in report.rows if row.drifted]
    return Signal(
        "drift",
        report.level,
        f"monitoring.drift_summary_{report.level}",
        {
            "count": len(drifted),
            "total": len(report.rows),
            "share": report.drifted_importance_share,
            "n": report.n,
            "top": drifted[:3],
        },
        routes.MONITORING_DRIFT,
    )


def _error_signal(health: monitoring.ServiceHealth) -> Signal:
    if health.requests < MIN_REQUESTS:
        return Signal(
            "errors",
            "none",
            "monitoring.signal_errors_none",
            {"n": health.requests, "needed": MIN_REQUESTS},
            routes.MONITORING_SERVICE,
        )
    low, high = wilson_interval(health.errors, health.requests)
    level: Level = "act" if low > ERROR_ACT else "watch" if low > ERROR_WATCH else "ok"
    return Signal(
        "errors",
        level,
        f"monitoring.signal_errors_{level}",
        {
            "rate": health.error_rate or 0.0,
            "low": low,
            "high": high,
            "errors": health.errors,
            "n": health.requests,
            "limit": ERROR_WATCH if level != "act" else ERROR_ACT,
        },
        routes.MONITORING_SERVICE,
    )


def _latency_signal(health: monitoring.ServiceHealth) -> Signal:
    if health.p95 is None or health.requests < MIN_REQUESTS:
        return Signal(
            "latency",
            "none",
            "monitoring.signal_latency_none",
            {"n": health.requests, "needed": MIN_REQUESTS},
            routes.MONITORING_SERVICE,
        )
    p95 = health.p95
    level: Level = "act" if p95 >= LATENCY_ACT_MS else "watch" if p95 >= LATENCY_WATCH_MS else "ok"
    return Signal(
        "latency",
        level,
        f"monitoring.signal_latency_{level}",
        {"p95_ms": p95, "watch_ms": LATENCY_WATCH_MS, "act_ms": LATENCY_ACT_MS},
        routes.MONITORING_SERVICE,
    )


def _discrimination_signal(found: monitoring_performance.Performance) -> Signal:
    """Realised AUC once enough outcomes matured, else the AUC the probabilities imply."""
    realised = found.overall.realised
    link = routes.MONITORING_PERFORMANCE
    if realised is not None:
        auc = realised.auc
        level: Level = "act" if realised.below_card else "ok"
        return Signal(
            "discrimination",
            level,
            f"monitoring.signal_discrimination_{level}",
            {
                "auc": auc.auc,
                "lower": auc.lower,
                "upper": auc.upper,
                "card": found.card_auc,
                "n": found.overall.n,
            },
            link,
        )
    expected = found.estimated_overall.expected_auc
    if expected is None:
        return Signal(
            "discrimination",
            "none",
            "monitoring.signal_discrimination_none",
            {"n": found.overall.defaults, "needed": found.min_defaults},
            link,
        )
    # Without outcomes only a shift of the applicants can show: a score spread too narrow
    # to rank as well as in training, beyond the estimate's own interval.
    level = "watch" if expected.upper < found.card_auc else "ok"
    return Signal(
        "discrimination",
        level,
        f"monitoring.signal_discrimination_estimated_{level}",
        {
            "auc": expected.auc,
            "lower": expected.lower,
            "upper": expected.upper,
            "card": found.card_auc,
            "n": found.estimated_overall.predictions,
        },
        link,
    )


def _calibration_signal(found: monitoring_performance.Performance) -> Signal:
    """The Jeffreys lights of the deciles: one red acts, one amber is worth a look."""
    realised = found.overall.realised
    if realised is None:
        return Signal(
            "calibration",
            "none",
            "monitoring.signal_calibration_none",
            {"n": found.overall.defaults, "needed": found.min_defaults},
            routes.MONITORING_PERFORMANCE,
        )
    lights = [decile.light for decile in realised.calibration]
    level: Level = "act" if "red" in lights else "watch" if "amber" in lights else "ok"
    return Signal(
        "calibration",
        level,
        f"monitoring.signal_calibration_{level}",
        {"red": lights.count("red"), "amber": lights.count("amber"), "total": len(lights)},
        routes.MONITORING_PERFORMANCE,
    )


def overview(session: Session, actor: Actor, window: Window, models: ModelStore) -> Overview:
    """Every signal over the window, always in the same order (the headline names the worst)."""
    actor.require(Permission.view_monitoring)
    health = monitoring.service_health(session, actor, window)
    decided = monitoring.decisions(session, actor, window, models)
    drifted = monitoring_drift.data_drift(session, actor, window, models)
    measured = monitoring_performance.performance(session, actor, window, models)
    signals = [
        _score_signal(decided),
        _drift_signal(drifted),
        _discrimination_signal(measured),
        _calibration_signal(measured),
        _approval_signal(decided),
        _error_signal(health),
        _latency_signal(health),
    ]
    return Overview(window=window, level=_worst([s.level for s in signals]), signals=signals)
