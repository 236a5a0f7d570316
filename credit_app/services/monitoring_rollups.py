"""Hourly rollups of the prediction log: what the monitoring pages add up instead of
re-reading the log on every view.

Each closed hour is read once, and two kinds of rollup are written from that one pass:
- `ActivityRollup`, per hour and channel: requests, failures by status, a latency
  histogram, the slowest requests, decisions and approvals, and decisions and approvals per
  fairness group (gender x age band x family status). The service, decisions and fairness
  figures come from these.
- `DriftRollup`, per hour, channel and model version: that version's predictions counted
  per reference bin (`drift.BinLayout`, from `predictions.bins`). Drift and the score's
  distribution come from these.

A window adds up the rollups of its whole hours and reads the log only for its ragged ends
and for the hours not rolled up yet: a month of a million predictions is a few thousand
rollups. The fairness groups are the only values of the inputs read, in SQL, and only
once per prediction (when its hour is rolled up); no applicant's value is kept."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import numpy as np
from sqlalchemy import Float, Select, String, case, column, func, true
from sqlalchemy import join as sa_join
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from credit_app.db.models import ActivityRollup, DriftRollup, Prediction
from credit_app.domain import Channel, Decision
from credit_app.ml import drift, performance
from credit_app.ml.model import CreditModel
from credit_app.ml.performance import MISSING, ProbabilityHistogram
from credit_app.ml.schema import CATEGORIES
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import ServiceError
from credit_app.services.models import ModelStore
from credit_app.services.time_windows import Window

HOUR = timedelta(hours=1)
#: An hour is rolled up this long after it ends: a record is written when its request ends,
#: a few milliseconds (a batch part: seconds) after the time it carries.
GRACE = timedelta(minutes=5)
#: Hours read at once while rolling up (a day: one query, a few thousand rows).
CHUNK = timedelta(hours=24)
_COUNT = np.dtype("<i4")
_SUM = np.dtype("<f8")

#: Latency histogram: buckets 2 % wide from 0.01 ms, so a percentile read from it is within
#: 1 % of the exact one, whatever the number of requests; the last bucket holds everything
#: from about 4,000 s up.
LATENCY_FLOOR_MS = 0.01
LATENCY_RATIO = 1.02
LATENCY_BUCKETS = 1000
#: The slowest requests each rollup keeps (and a page shows).
SLOWEST_KEPT = 10


@dataclass(frozen=True)
class Attribute:
    """A protected attribute: its name in the API and catalogue, and the input it comes from."""

    name: str
    feature: str


GENDER = Attribute("gender", "CODE_GENDER")
AGE_BAND = Attribute("age_band", "DAYS_BIRTH")
FAMILY_STATUS = Attribute("family_status", "NAME_FAMILY_STATUS")
ATTRIBUTES = (GENDER, AGE_BAND, FAMILY_STATUS)
#: A decision's groups, in the order of ATTRIBUTES (a value not given: `MISSING`).
Groups = tuple[str, str, str]


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _ceil_hour(moment: datetime) -> datetime:
    floor = floor_hour(moment)
    return floor if floor == moment else floor + HOUR


def _bucket_value(bucket: int) -> float:
    """The middle of a bucket (geometric): the value a percentile falling in it reads."""
    return float(LATENCY_FLOOR_MS * LATENCY_RATIO ** (bucket + 0.5))


@dataclass(frozen=True)
class Slow:
    """One of the slowest requests, for a link to its prediction."""

    latency_ms: float
    id: str
    at: datetime
    channel: str
    status: int


#: Failures are counted per status from 400 to 599.
FIRST_STATUS, STATUSES = 400, 200
#: The fairness groups, each attribute's values in a fixed order: a value outside the
#: training data's categories counts as `OTHER`, a value not given as `MISSING`.
OTHER = "other"
GROUP_VALUES: tuple[tuple[str, ...], ...] = (
    (*CATEGORIES[GENDER.feature], OTHER, MISSING),
    (*performance.AGE_BANDS, MISSING),
    (*CATEGORIES[FAMILY_STATUS.feature], OTHER, MISSING),
)
_GROUP_SHAPE = (*(len(values) for values in GROUP_VALUES), 2)  # decisions, approvals
_EPOCH, _MICROSECOND = datetime(1970, 1, 1, tzinfo=UTC), timedelta(microseconds=1)
_SLOW = np.dtype(
    [("ms", "<f8"), ("at", "<i8"), ("status", "<i2"), ("channel", "S8"), ("id", "S32")]
)
_NO_SLOW = np.zeros(0, _SLOW)


def _group_codes(values: Sequence[str], known: tuple[str, ...]) -> np.ndarray:
    position = {value: code for code, value in enumerate(known)}
    other = position.get(OTHER, len(known) - 1)
    return np.array([position.get(value, other) for value in values], dtype=np.intp)


@dataclass
class Activity:
    """What happened over some time: requests, failures by status, a latency histogram,
    the slowest requests, decisions and approvals, and both per fairness group.

    Dense arrays, stored as bytes: a month's 2,000-odd rollups add up in milliseconds (as
    JSON, parsing them took about 0.5 s, mostly the garbage collector's)."""

    requests: int = 0
    decisions: int = 0
    approvals: int = 0
    statuses: np.ndarray = field(default_factory=lambda: np.zeros(STATUSES, np.int64))
    latency: np.ndarray = field(default_factory=lambda: np.zeros(LATENCY_BUCKETS, np.int64))
    groups: np.ndarray = field(default_factory=lambda: np.zeros(_GROUP_SHAPE, np.int64))
    # The decisions' predicted probabilities, for the estimated performance.
    probabilities: ProbabilityHistogram = field(default_factory=ProbabilityHistogram)
    # The slowest requests of the parts added up, chosen from when asked for (a month's
    # window adds up thousands of parts per chart point; sorting at each addition cost more
    # than the rest of the page).
    slowest_parts: list[np.ndarray] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return int(self.statuses.sum())

    def by_status(self) -> dict[int, int]:
        return {FIRST_STATUS + int(s): int(self.statuses[s]) for s in np.flatnonzero(self.statuses)}

    def group_counts(self) -> list[tuple[Groups, int, int]]:
        """(gender, age band, family status), decisions, approvals: each combination seen."""
        found = []
        for cell in zip(*np.nonzero(self.groups[..., 0]), strict=True):
            names = tuple(values[c] for values, c in zip(GROUP_VALUES, cell, strict=True))
            n, k = self.groups[cell]
            found.append((cast(Groups, names), int(n), int(k)))
        return found

    def slowest(self) -> np.ndarray:
        """The SLOWEST_KEPT slowest requests, slowest first (ties: the later first, then by
        id: the same order however the requests were added up)."""
        if len(self.slowest_parts) != 1:
            slow = np.concatenate(self.slowest_parts) if self.slowest_parts else _NO_SLOW
            self.slowest_parts = [_choose_slowest(slow)]
        return self.slowest_parts[0]

    def slow_requests(self) -> list[Slow]:
        return [
            Slow(
                float(row["ms"]),
                row["id"].decode(),
                _EPOCH + timedelta(microseconds=int(row["at"])),
                row["channel"].decode(),
                int(row["status"]),
            )
            for row in self.slowest()
        ]

    def add(self, other: Activity) -> None:
        self.requests += other.requests
        self.decisions += other.decisions
        self.approvals += other.approvals
        self.statuses += other.statuses
        self.latency += other.latency
        self.groups += other.groups
        self.probabilities.add(other.probabilities)
        self.slowest_parts += other.slowest_parts

    def percentiles(self, quantiles: Iterable[float]) -> list[float] | None:
        """Latency percentiles (nearest rank) read from the histogram; None without requests."""
        cumulative = np.cumsum(self.latency)
        total = int(cumulative[-1])
        if not total:
            return None
        ranks = [max(1, math.ceil(q * total)) for q in quantiles]
        return [_bucket_value(int(np.searchsorted(cumulative, rank))) for rank in ranks]

    @classmethod
    def of_rows(cls, rows: Sequence[Any]) -> Activity:
        """The activity of logged requests (rows of `_log_query`)."""
        found = cls(requests=len(rows))
        if not rows:
            return found
        status = np.array([row.status for row in rows], dtype=np.int64)
        failed = (status >= FIRST_STATUS) & (status < FIRST_STATUS + STATUSES)
        found.statuses = np.bincount(status[failed] - FIRST_STATUS, minlength=STATUSES)
        latency = np.array([row.latency_ms for row in rows], dtype=float)
        found.latency = np.bincount(_latency_buckets(latency), minlength=LATENCY_BUCKETS)
        slow = np.zeros(len(rows), _SLOW)
        slow["ms"], slow["status"] = latency, status
        slow["at"] = [(row.created_at - _EPOCH) // _MICROSECOND for row in rows]
        slow["channel"] = [str(row.channel) for row in rows]
        slow["id"] = [row.id for row in rows]
        found.slowest_parts = [_choose_slowest(slow)]
        decided = [row for row in rows if row.decision is not None]
        if decided:
            approved = np.array([row.decision == Decision.approve.value for row in decided])
            cells = tuple(
                _group_codes([getattr(row, name) for row in decided], values)
                for name, values in zip(("gender", "age_band", "family"), GROUP_VALUES, strict=True)
            )
            flat = np.ravel_multi_index(cells, _GROUP_SHAPE[:-1])
            cells_n = np.bincount(flat, minlength=found.groups[..., 0].size)
            cells_k = np.bincount(flat, weights=approved, minlength=cells_n.size)
            found.groups = np.stack([cells_n, cells_k.astype(np.int64)], axis=-1).reshape(
                _GROUP_SHAPE
            )
            found.decisions, found.approvals = len(decided), int(approved.sum())
            found.probabilities = ProbabilityHistogram.of(
                np.array([row.probability for row in decided if row.probability is not None])
            )
        return found

    def to_rollup(self, hour: datetime, channel: Channel) -> ActivityRollup:
        return ActivityRollup(
            hour=hour,
            channel=channel,
            requests=self.requests,
            errors=self.errors,
            decisions=self.decisions,
            approvals=self.approvals,
            statuses=self.statuses.astype(_COUNT).tobytes(),
            latency=self.latency.astype(_COUNT).tobytes(),
            groups=self.groups.astype(_COUNT).tobytes(),
            slowest=self.slowest().tobytes(),
            probabilities=np.stack([self.probabilities.counts, self.probabilities.sums])
            .astype(_SUM)
            .tobytes(),
        )

    @classmethod
    def of(cls, row: Any) -> Activity:
        """From a rollup's columns (`ActivityRollup`, or a row of its columns)."""
        return cls(
            requests=row.requests,
            decisions=row.decisions,
            approvals=row.approvals,
            statuses=np.frombuffer(row.statuses, _COUNT).astype(np.int64),
            latency=np.frombuffer(row.latency, _COUNT).astype(np.int64),
            groups=np.frombuffer(row.groups, _COUNT).astype(np.int64).reshape(_GROUP_SHAPE),
            slowest_parts=[np.frombuffer(row.slowest, _SLOW)],
            probabilities=ProbabilityHistogram(
                *np.frombuffer(row.probabilities, _SUM).reshape(2, -1).copy()
            ),
        )


def _latency_buckets(ms: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        position = np.floor(np.log(ms / LATENCY_FLOOR_MS) / math.log(LATENCY_RATIO))
    buckets: np.ndarray = np.clip(np.nan_to_num(position, nan=0.0), 0, LATENCY_BUCKETS - 1)
    return buckets.astype(np.intp)


def _choose_slowest(slow: np.ndarray) -> np.ndarray:
    order = np.lexsort((slow["id"], -slow["at"], -slow["ms"]))
    return slow[order[:SLOWEST_KEPT]]


def _age_band(days_birth: Any) -> Any:
    """DAYS_BIRTH's age band in SQL, on `performance.AGE_BAND_DAYS` (as `age_band` does)."""
    younger = zip(performance.AGE_BAND_DAYS, performance.AGE_BANDS, strict=False)
    return case(
        (days_birth.is_(None), MISSING),
        *((days_birth > days, band) for days, band in younger),
        else_=performance.AGE_BANDS[-1],
    )


def _inputs(session: Session) -> tuple[list[Any], Any]:
    """The three inputs of the fairness groups as SQL expressions (gender, DAYS_BIRTH,
    family status), and what to select them from.

    JSON element access, on any database. On PostgreSQL a JSON (text) column is parsed
    again for each element taken: `json_to_record` takes all three in one parse, 2.5 times
    faster (7 s down to 2.8 s for 100,000 logged predictions)."""
    inputs = col(Prediction.inputs)
    if session.get_bind().dialect.name != "postgresql":
        return [
            inputs[GENDER.feature].as_string(),
            inputs[AGE_BAND.feature].as_float(),
            inputs[FAMILY_STATUS.feature].as_string(),
        ], Prediction
    # An erased prediction's inputs are a JSON null, which json_to_record refuses.
    record = (
        func.json_to_record(case((func.json_typeof(inputs) == "object", inputs)))
        .table_valued(
            column(GENDER.feature, String),
            column(AGE_BAND.feature, Float),
            column(FAMILY_STATUS.feature, String),
        )
        .render_derived(name="applicant", with_types=True)
        .lateral()
    )
    joined = sa_join(Prediction, record, true(), isouter=True)
    return [record.c[a.feature] for a in ATTRIBUTES], joined


def _log_query(
    session: Session,
    start: datetime,
    end: datetime,
    channel: Channel | None,
    *,
    bins: bool = False,
) -> Select[Any]:
    """The log's rows in [start, end) as `Activity.record` counts them; with `bins`, also
    each row's model version and bins (for `DriftRollup`)."""
    (gender, days_birth, family), source = _inputs(session)
    columns = [
        col(Prediction.id).label("id"),
        col(Prediction.created_at).label("created_at"),
        col(Prediction.channel).label("channel"),
        col(Prediction.status).label("status"),
        col(Prediction.latency_ms).label("latency_ms"),
        col(Prediction.decision).label("decision"),
        col(Prediction.probability).label("probability"),
        func.coalesce(gender, MISSING).label("gender"),
        _age_band(days_birth).label("age_band"),
        func.coalesce(family, MISSING).label("family"),
    ]
    if bins:
        columns += [
            col(Prediction.model_version).label("model_version"),
            col(Prediction.bins).label("bins"),
        ]
    query = (
        sa_select(*columns)
        .select_from(source)
        .where(col(Prediction.created_at) >= start, col(Prediction.created_at) < end)
    )
    return query if channel is None else query.where(col(Prediction.channel) == channel)


def _bins_query(version: str, start: datetime, end: datetime, channel: Channel | None):  # type: ignore[no-untyped-def]
    query = sa_select(col(Prediction.bins)).where(
        col(Prediction.model_version) == version,
        col(Prediction.bins).is_not(None),
        col(Prediction.created_at) >= start,
        col(Prediction.created_at) < end,
    )
    return query if channel is None else query.where(col(Prediction.channel) == channel)


def _codes(layout: drift.BinLayout, blobs: list[bytes]) -> np.ndarray:
    """Rows of bin codes from the stored bytes (a blob of another width is skipped)."""
    kept = [blob for blob in blobs if len(blob) == layout.width]
    return np.frombuffer(b"".join(kept), dtype=np.uint8).reshape(-1, layout.width)


def _resume(session: Session, rolled: Any, kind: list[Any], rows: list[Any]) -> datetime | None:
    """The first hour left to roll up: after the latest rollup (`rolled`: its `hour`
    column, `kind` picking the kind's rollups), else the hour of the log's first row that
    it counts (`rows`); None while there is no such row."""
    last = session.execute(sa_select(func.max(rolled)).where(*kind)).scalar()
    if last is not None:
        return floor_hour(last) + HOUR
    first = session.execute(sa_select(func.min(Prediction.created_at)).where(*rows)).scalar()
    return floor_hour(first) if first is not None else None


def build_rollups(
    session: Session, actor: Actor, models: ModelStore, now: datetime | None = None
) -> int:
    """Roll up every closed hour not rolled up yet: its activity, and its drift counts for
    the model in service (none without a model); how many rollups were written. Run by
    each worker in the background and before each drift read: when two workers race for
    the same hour, one writes it and the other stops."""
    actor.require(Permission.view_monitoring)
    try:
        model: CreditModel | None = models.get()
    except ServiceError:
        model = None
    activity_from = _resume(session, col(ActivityRollup.hour), [], [])
    drift_from = (
        _resume(
            session,
            col(DriftRollup.hour),
            [col(DriftRollup.model_version) == model.version],
            [col(Prediction.model_version) == model.version, col(Prediction.bins).is_not(None)],
        )
        if model is not None
        else None
    )
    starts = [hour for hour in (activity_from, drift_from) if hour is not None]
    if not starts:
        return 0
    begin, end = min(starts), floor_hour((now or datetime.now(UTC)) - GRACE)
    written = 0
    while begin < end:
        stop = min(begin + CHUNK, end)
        activity: dict[tuple[datetime, str], list[Any]] = defaultdict(list)
        blobs: dict[tuple[datetime, str], list[bytes]] = defaultdict(list)
        for row in session.execute(_log_query(session, begin, stop, None, bins=True)):
            key = (floor_hour(row.created_at), str(row.channel))
            if activity_from is not None and key[0] >= activity_from:
                activity[key].append(row)
            if (
                model is not None
                and drift_from is not None
                and key[0] >= drift_from
                and row.model_version == model.version
                and row.bins is not None
            ):
                blobs[key].append(row.bins)
        for (hour, channel), rows in activity.items():
            session.add(Activity.of_rows(rows).to_rollup(hour, Channel(channel)))
        for (hour, channel), hour_blobs in blobs.items():
            assert model is not None
            codes = _codes(model.layout, hour_blobs)
            session.add(
                DriftRollup(
                    model_version=model.version,
                    hour=hour,
                    channel=Channel(channel),
                    rows=len(codes),
                    counts=model.layout.counts(codes).astype(_COUNT).tobytes(),
                )
            )
        try:
            session.commit()
        except IntegrityError:  # another worker rolled these hours up first
            session.rollback()
            return written
        written += len(activity) + len(blobs)
        begin = stop
    return written


def _spans(
    window: Window, latest: datetime | None
) -> tuple[tuple[datetime, datetime] | None, list[tuple[datetime, datetime]]]:
    """The window's whole hours that rollups cover (rollups are built hour after hour:
    every hour before the latest one's end is counted; an hour without predictions has
    none), and the spans left to read from the log."""
    first_hour, last_hour = _ceil_hour(window.start), floor_hour(window.end)
    covered_end = min(latest + HOUR, last_hour) if latest is not None else first_hour
    if covered_end <= first_hour:
        return None, [(window.start, window.end)]
    spans = [(window.start, first_hour), (covered_end, window.end)]
    return (first_hour, covered_end), [(start, end) for start, end in spans if start < end]


def window_activity(session: Session, window: Window) -> dict[tuple[datetime, str], Activity]:
    """The window's activity per hour and channel: whole hours from their rollups, the
    ragged ends and the hours not rolled up yet from the log."""
    latest = session.execute(sa_select(func.max(ActivityRollup.hour))).scalar()
    rolled, raw = _spans(window, latest)
    found: dict[tuple[datetime, str], Activity] = {}
    if rolled is not None:
        table = ActivityRollup.__table__  # type: ignore[attr-defined]
        query = sa_select(table).where(table.c.hour >= rolled[0], table.c.hour < rolled[1])
        if window.channel is not None:
            query = query.where(table.c.channel == window.channel)
        for rollup in session.execute(query):
            found[(floor_hour(rollup.hour), str(rollup.channel))] = Activity.of(rollup)
    for start, end in raw:
        rows: dict[tuple[datetime, str], list[Any]] = defaultdict(list)
        for row in session.execute(_log_query(session, start, end, window.channel)):
            rows[(floor_hour(row.created_at), str(row.channel))].append(row)
        for key, hour_rows in rows.items():
            found.setdefault(key, Activity()).add(Activity.of_rows(hour_rows))
    return found


@dataclass(frozen=True)
class WindowCounts:
    """A window's predictions by the model in service, counted per reference bin."""

    rows: int
    counts: np.ndarray  # laid out as the model's `BinLayout`
    rolled_up_hours: int


def window_counts(session: Session, model: CreditModel, window: Window) -> WindowCounts:
    """Whole hours from their rollups; the ragged ends and hours not rolled up from bins."""
    layout, version = model.layout, model.version
    total = np.zeros(layout.total, dtype=np.int64)
    rows = rolled_hours = 0
    latest = session.execute(
        sa_select(func.max(DriftRollup.hour)).where(col(DriftRollup.model_version) == version)
    ).scalar()
    rolled, raw = _spans(window, latest)
    if rolled is not None:
        query = sa_select(col(DriftRollup.rows), col(DriftRollup.counts)).where(
            col(DriftRollup.model_version) == version,
            col(DriftRollup.hour) >= rolled[0],
            col(DriftRollup.hour) < rolled[1],
        )
        if window.channel is not None:
            query = query.where(col(DriftRollup.channel) == window.channel)
        for count, blob in session.execute(query):
            total += np.frombuffer(blob, dtype=_COUNT)
            rows += count
            rolled_hours += 1
    for start, end in raw:
        query = _bins_query(version, start, end, window.channel)
        codes = _codes(layout, [blob for (blob,) in session.execute(query)])
        total += layout.counts(codes)
        rows += len(codes)
    return WindowCounts(rows=rows, counts=total, rolled_up_hours=rolled_hours)
