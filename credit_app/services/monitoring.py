"""Monitoring for analysts: how the service runs and what it decides, over a time window.

Added up from the hourly rollups of the prediction log (`monitoring_rollups`: requests,
failures, latency histograms, decisions), never from its rows one by one; the figures are
computed in the worker thread that runs the use case, not on the event loop."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from credit_app.ml import drift
from credit_app.services.actors import Actor, Permission
from credit_app.services.models import ModelStore
from credit_app.services.monitoring_rollups import (
    Activity,
    build_rollups,
    window_activity,
    window_counts,
)
from credit_app.services.time_windows import Window

#: Below this many decisions in a day, its approval rate is shown without a flag.
MIN_DAY_DECISIONS = 30
_PERCENTILES = (0.50, 0.95, 0.99)


@dataclass
class LatencyPoint:
    bucket: datetime
    channel: str
    requests: int
    p50: float
    p95: float
    p99: float


@dataclass
class ServiceHealth:
    window: Window
    requests: int
    errors: int
    error_rate: float | None
    errors_by_status: dict[int, int]
    p50: float | None
    p95: float | None
    p99: float | None
    requests_over_time: list[tuple[datetime, int, int]]  # bucket, requests, errors
    latency_over_time: list[LatencyPoint]
    slowest: list[tuple[str, datetime, str, float, int]]  # id, when, channel, ms, status


def service_health(session: Session, actor: Actor, window: Window) -> ServiceHealth:
    """Requests, errors by status and latency percentiles (read from histograms 2 % wide),
    overall and over time by channel; the slowest requests."""
    actor.require(Permission.view_monitoring)
    total = Activity()
    buckets: dict[datetime, Activity] = defaultdict(Activity)
    by_channel: dict[tuple[datetime, str], Activity] = defaultdict(Activity)
    for (hour, channel), found in window_activity(session, window).items():
        bucket = window.bucket_of(hour)
        total.add(found)
        buckets[bucket].add(found)
        by_channel[(bucket, channel)].add(found)
    latency = []
    for (bucket, channel), found in sorted(by_channel.items()):
        p = found.percentiles(_PERCENTILES)
        if p is not None:
            latency.append(LatencyPoint(bucket, channel, found.requests, *p))
    overall = total.percentiles(_PERCENTILES)
    return ServiceHealth(
        window=window,
        requests=total.requests,
        errors=total.errors,
        error_rate=total.errors / total.requests if total.requests else None,
        errors_by_status=total.by_status(),
        p50=overall[0] if overall else None,
        p95=overall[1] if overall else None,
        p99=overall[2] if overall else None,
        requests_over_time=[
            (bucket, found.requests, found.errors) for bucket, found in sorted(buckets.items())
        ],
        latency_over_time=latency,
        slowest=[(s.id, s.at, s.channel, s.latency_ms, s.status) for s in total.slow_requests()],
    )


@dataclass
class ApprovalDay:
    """One day's (or hour's) approval rate with the band chance alone would keep it in."""

    bucket: datetime
    channel: str
    decisions: int
    rate: float
    low: float  # 3-sigma binomial band around the window's rate, for this many decisions
    high: float
    outside: bool  # the rate left the band, with enough decisions to say so


@dataclass
class Decisions:
    window: Window
    decisions: int
    approval_rate: float | None
    approvals: list[ApprovalDay]
    score_edges: list[float]
    score_shares: list[float]  # this window's scores in the reference's bins
    reference_shares: list[float]
    score: drift.ScoreDrift  # PSI against training, and what sampling noise alone reaches


def _band(rate: float, n: int) -> tuple[float, float]:
    """The 3-sigma binomial band around `rate` for `n` decisions."""
    spread = 3 * math.sqrt(rate * (1 - rate) / n) if n else 1.0
    return max(0.0, rate - spread), min(1.0, rate + spread)


def decisions(session: Session, actor: Actor, window: Window, models: ModelStore) -> Decisions:
    """Approval rate over time by channel with its 3-sigma band, and the distribution of
    the scores of the model in service against its training reference, with its PSI and the
    PSI noise alone would reach."""
    actor.require(Permission.view_monitoring)
    build_rollups(session, actor, models)
    total = Activity()
    by_channel: dict[tuple[datetime, str], Activity] = defaultdict(Activity)
    for (hour, channel), found in window_activity(session, window).items():
        total.add(found)
        by_channel[(window.bucket_of(hour), channel)].add(found)
    rate = total.approvals / total.decisions if total.decisions else None
    approvals = []
    for (bucket, channel), found in sorted(by_channel.items()):
        if not found.decisions or rate is None:
            continue
        day_rate = found.approvals / found.decisions
        low, high = _band(rate, found.decisions)
        approvals.append(
            ApprovalDay(
                bucket=bucket,
                channel=channel,
                decisions=found.decisions,
                rate=day_rate,
                low=low,
                high=high,
                outside=found.decisions >= MIN_DAY_DECISIONS and not low <= day_rate <= high,
            )
        )
    model = models.get()
    reference = model.card.reference.oof_scores
    scored = window_counts(session, model, window)
    counts = model.layout.split(scored.counts)["score"]
    return Decisions(
        window=window,
        decisions=total.decisions,
        approval_rate=rate,
        approvals=approvals,
        score_edges=list(reference.edges),
        score_shares=(counts / scored.rows).tolist() if scored.rows else [0.0] * len(counts),
        reference_shares=list(reference.proportions),
        score=drift.score_drift(reference, counts, model.card.data.rows),
    )
