"""Monitoring for analysts: how the service runs and what it decides, over a time window.

Read from the prediction log's plain columns (time, channel, status, latency, probability,
decision), never from its JSON inputs; the figures are computed in the worker thread that
runs the use case, not on the event loop."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import ColumnElement, FromClause, Table
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from credit_app.db.models import Prediction
from credit_app.domain import Channel, Decision
from credit_app.ml import drift
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import InvalidInput
from credit_app.services.models import ModelStore

_PREDICTIONS: Table = Prediction.__table__  # type: ignore[attr-defined]
#: The windows a page offers, by name.
RANGES: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
MAX_WINDOW = timedelta(days=366)
#: Below this many decisions in a day, its approval rate is shown without a flag.
MIN_DAY_DECISIONS = 30
SLOWEST_SHOWN = 10


@dataclass(frozen=True)
class Window:
    """A time range [start, end) and, optionally, one channel."""

    start: datetime
    end: datetime
    channel: Channel | None = None

    @classmethod
    def last(cls, name: str, channel: Channel | None = None, now: datetime | None = None) -> Window:
        if name not in RANGES:
            raise InvalidInput(f"unknown range {name!r}", key="monitoring.error.range")
        end = now or datetime.now(UTC)
        return cls(end - RANGES[name], end, channel)

    @classmethod
    def between(cls, start: datetime, end: datetime, channel: Channel | None = None) -> Window:
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("dates need a time zone", key="monitoring.error.timezone")
        if not start < end or end - start > MAX_WINDOW:
            raise InvalidInput(
                "the window must end after it starts and span at most a year",
                key="monitoring.error.window",
            )
        return cls(start, end, channel)

    @property
    def bucket(self) -> timedelta:
        """Hours for a window of up to two days, days beyond."""
        return (
            timedelta(hours=1) if self.end - self.start <= timedelta(days=2) else timedelta(days=1)
        )

    def bucket_of(self, moment: datetime) -> datetime:
        size = self.bucket.total_seconds()
        return datetime.fromtimestamp(moment.timestamp() // size * size, UTC)

    def clauses(self, rows: FromClause | None = None) -> list[ColumnElement[bool]]:
        """The prediction log's rows of this window (time range and channel), for a WHERE:
        every monitoring query selects its rows the same way. `rows`: a subquery of the
        log's rows (with its `created_at` and `channel`) instead of the log itself."""
        columns = (rows if rows is not None else _PREDICTIONS).c
        clauses = [columns.created_at >= self.start, columns.created_at < self.end]
        if self.channel is not None:
            clauses.append(columns.channel == self.channel)
        return clauses


@dataclass(frozen=True)
class _Log:
    """The window's rows, column by column (numpy arrays)."""

    ids: list[str]
    at: np.ndarray  # epoch seconds
    channel: np.ndarray
    status: np.ndarray
    latency: np.ndarray
    probability: np.ndarray  # NaN for failures
    approved: np.ndarray  # bool, False for failures


def _read(session: Session, window: Window) -> _Log:
    columns = (
        Prediction.id,
        Prediction.created_at,
        Prediction.channel,
        Prediction.status,
        Prediction.latency_ms,
        Prediction.probability,
        Prediction.decision,
    )
    query = sa_select(*(col(c) for c in columns)).where(*window.clauses())
    rows = session.execute(query).all()
    return _Log(
        ids=[r[0] for r in rows],
        at=np.array([r[1].timestamp() for r in rows], dtype=float),
        channel=np.array([str(r[2]) for r in rows], dtype=object),
        status=np.array([r[3] for r in rows], dtype=int),
        latency=np.array([r[4] for r in rows], dtype=float),
        probability=np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float),
        approved=np.array([r[6] == Decision.approve for r in rows], dtype=bool),
    )


def _percentiles(values: np.ndarray) -> tuple[float, float, float] | None:
    if values.size == 0:
        return None
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return float(p50), float(p95), float(p99)


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
    """Requests, errors by status and latency percentiles, overall and over time by channel."""
    actor.require(Permission.view_monitoring)
    log = _read(session, window)
    failed = log.status >= 400
    overall = _percentiles(log.latency)
    size = window.bucket.total_seconds()
    buckets = (log.at // size) * size
    over_time = []
    latency = []
    for start in np.unique(buckets):
        here = buckets == start
        moment = datetime.fromtimestamp(float(start), UTC)
        over_time.append((moment, int(here.sum()), int((here & failed).sum())))
        for channel in sorted(set(log.channel[here])):
            mine = here & (log.channel == channel)
            p = _percentiles(log.latency[mine])
            if p is not None:
                latency.append(LatencyPoint(moment, channel, int(mine.sum()), *p))
    slowest_rows: list[int] = np.argsort(-log.latency)[:SLOWEST_SHOWN].tolist()
    statuses, counts = np.unique(log.status[failed], return_counts=True)
    return ServiceHealth(
        window=window,
        requests=len(log.ids),
        errors=int(failed.sum()),
        error_rate=float(failed.mean()) if log.ids else None,
        errors_by_status={int(s): int(c) for s, c in zip(statuses, counts, strict=True)},
        p50=overall[0] if overall else None,
        p95=overall[1] if overall else None,
        p99=overall[2] if overall else None,
        requests_over_time=over_time,
        latency_over_time=latency,
        slowest=[
            (
                log.ids[i],
                datetime.fromtimestamp(float(log.at[i]), UTC),
                str(log.channel[i]),
                float(log.latency[i]),
                int(log.status[i]),
            )
            for i in slowest_rows
        ],
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
    """Approval rate over time by channel with its 3-sigma band, and the score distribution
    against the training reference with its PSI and the PSI noise alone would reach."""
    actor.require(Permission.view_monitoring)
    log = _read(session, window)
    scored = ~np.isnan(log.probability)
    n = int(scored.sum())
    rate = float(log.approved[scored].mean()) if n else None
    size = window.bucket.total_seconds()
    buckets = (log.at // size) * size
    approvals = []
    for start in np.unique(buckets[scored]):
        for channel in sorted(set(log.channel[scored])):
            mine = scored & (buckets == start) & (log.channel == channel)
            count = int(mine.sum())
            if not count or rate is None:
                continue
            day_rate = float(log.approved[mine].mean())
            low, high = _band(rate, count)
            approvals.append(
                ApprovalDay(
                    bucket=datetime.fromtimestamp(float(start), UTC),
                    channel=channel,
                    decisions=count,
                    rate=day_rate,
                    low=low,
                    high=high,
                    outside=count >= MIN_DAY_DECISIONS and not low <= day_rate <= high,
                )
            )
    card = models.get().card
    reference = card.reference.oof_scores
    counts = drift.score_counts(log.probability[scored], reference)
    return Decisions(
        window=window,
        decisions=n,
        approval_rate=rate,
        approvals=approvals,
        score_edges=list(reference.edges),
        score_shares=(counts / n).tolist() if n else [0.0] * len(counts),
        reference_shares=list(reference.proportions),
        score=drift.score_drift(reference, counts, card.data.rows),
    )
