"""Data drift over a window: the applicants' features and scores against the training data.

Every scored prediction keeps its reference bin per feature (`predictions.bins`, a byte
each). Closed hours are counted once into `drift_rollups` (one row per hour, channel and
model version); a window adds up its whole hours' rollups and counts only its ragged ends
and the hours not rolled up yet from the bins. Nothing re-reads the logged inputs, and a
month of a million predictions is a few thousand rollups."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from credit_app.db.models import DriftRollup, Prediction
from credit_app.domain import Channel
from credit_app.ml import drift
from credit_app.ml.card import NumericReference
from credit_app.ml.model import CreditModel
from credit_app.ml.schema import CATEGORIES
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import InvalidInput
from credit_app.services.models import ModelStore
from credit_app.services.monitoring import Window

HOUR = timedelta(hours=1)
#: An hour is rolled up this long after it ends: a record is written when its request ends,
#: a few milliseconds (a batch part: seconds) after the time it carries.
GRACE = timedelta(minutes=5)
#: Hours read at once while rolling up (a day: one query, a few thousand rows of bins).
CHUNK = timedelta(hours=24)
_COUNT = np.dtype("<i4")


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _ceil_hour(moment: datetime) -> datetime:
    floor = floor_hour(moment)
    return floor if floor == moment else floor + HOUR


def _bins_query(version: str, start: datetime, end: datetime, channel: Channel | None):  # type: ignore[no-untyped-def]
    query = sa_select(col(Prediction.created_at), col(Prediction.channel), col(Prediction.bins))
    query = query.where(
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


def build_rollups(
    session: Session, actor: Actor, models: ModelStore, now: datetime | None = None
) -> int:
    """Count every closed hour of the model in service not rolled up yet; how many rollups
    were written. Run by each worker in the background and before each drift read: when
    two workers race for the same hour, one writes it and the other stops."""
    actor.require(Permission.view_monitoring)
    model = models.get()
    layout, version = model.layout, model.version
    last = session.execute(
        sa_select(func.max(DriftRollup.hour)).where(col(DriftRollup.model_version) == version)
    ).scalar()
    if last is None:
        first = session.execute(
            sa_select(func.min(Prediction.created_at)).where(
                col(Prediction.model_version) == version, col(Prediction.bins).is_not(None)
            )
        ).scalar()
        if first is None:
            return 0
        begin = floor_hour(first)
    else:
        begin = floor_hour(last) + HOUR
    end = floor_hour((now or datetime.now(UTC)) - GRACE)
    written = 0
    while begin < end:
        stop = min(begin + CHUNK, end)
        hours: dict[tuple[datetime, str], list[bytes]] = defaultdict(list)
        for at, channel, blob in session.execute(_bins_query(version, begin, stop, None)):
            hours[(floor_hour(at), str(channel))].append(blob)
        for (hour, channel), blobs in sorted(hours.items()):
            codes = _codes(layout, blobs)
            session.add(
                DriftRollup(
                    model_version=version,
                    hour=hour,
                    channel=Channel(channel),
                    rows=len(codes),
                    counts=layout.counts(codes).astype(_COUNT).tobytes(),
                )
            )
        try:
            session.commit()
        except IntegrityError:  # another worker rolled these hours up first
            session.rollback()
            return written
        written += len(hours)
        begin = stop
    return written


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
    rows = rolled = 0
    first_hour, last_hour = _ceil_hour(window.start), floor_hour(window.end)
    latest = session.execute(
        sa_select(func.max(DriftRollup.hour)).where(col(DriftRollup.model_version) == version)
    ).scalar()
    # Rollups are built hour after hour: every hour before the latest one's end is counted
    # (an hour without predictions has no rollup).
    covered_end = min(floor_hour(latest) + HOUR, last_hour) if latest is not None else first_hour
    if covered_end > first_hour:
        query = sa_select(col(DriftRollup.rows), col(DriftRollup.counts)).where(
            col(DriftRollup.model_version) == version,
            col(DriftRollup.hour) >= first_hour,
            col(DriftRollup.hour) < covered_end,
        )
        if window.channel is not None:
            query = query.where(col(DriftRollup.channel) == window.channel)
        for count, blob in session.execute(query):
            total += np.frombuffer(blob, dtype=_COUNT)
            rows += count
            rolled += 1
        raw = [(window.start, first_hour), (covered_end, window.end)]
    else:
        raw = [(window.start, window.end)]
    for start, end in raw:
        if start < end:
            query = _bins_query(version, start, end, window.channel)
            codes = _codes(layout, [blob for _, _, blob in session.execute(query)])
            total += layout.counts(codes)
            rows += len(codes)
    return WindowCounts(rows=rows, counts=total, rolled_up_hours=rolled)


@dataclass(frozen=True)
class DataDrift:
    """The data drift page: every feature's verdict and the score's, over one window."""

    window: Window
    model_version: str
    features: drift.DriftReport
    score: drift.ScoreDrift
    counts: dict[str, list[int]]  # per feature (and "score"): this window's counts per bin


def data_drift(session: Session, actor: Actor, window: Window, models: ModelStore) -> DataDrift:
    """Drift of each feature and of the score over the window, against the card's reference,
    for the predictions of the model in service (another version's bins are not its own)."""
    actor.require(Permission.view_monitoring)
    build_rollups(session, actor, models)
    model = models.get()
    found = window_counts(session, model, window)
    split = model.layout.split(found.counts)
    reference = model.card.reference
    features = drift.assess(
        reference.features,
        {name: split[name] for name in model.layout.features},
        model.card.importance,
        model.card.data.rows,
    )
    score = drift.score_drift(reference.oof_scores, split["score"], model.card.data.rows)
    return DataDrift(
        window=window,
        model_version=model.version,
        features=features,
        score=score,
        counts={name: counts.tolist() for name, counts in split.items()},
    )


@dataclass(frozen=True)
class Distribution:
    """One feature's reference and window shares per bin, for drawing them overlaid."""

    feature: str
    kind: str  # numeric or categorical
    bins: list[tuple[float, float] | str]  # numeric: (low, high) edges; else category
    reference: list[float]
    current: list[float]
    missing_reference: float
    missing_current: float
    n: int


def distribution(
    counts: Mapping[str, Sequence[int]], models: ModelStore, feature: str
) -> Distribution:
    """The shares behind one row of the drift table, from the counts `data_drift` read."""
    model = models.get()
    if feature not in model.card.reference.features:
        raise InvalidInput(f"unknown feature {feature!r}", key="monitoring.drift_unknown_feature")
    reference = model.card.reference.features[feature]
    window = np.asarray(counts[feature], dtype=float)
    n = int(window.sum())
    current = window / n if n else np.zeros_like(window)
    expected = drift.reference_shares(reference, feature)
    if isinstance(reference, NumericReference):
        edges = reference.edges or [float("nan"), float("nan")]
        bins: list[tuple[float, float] | str] = list(itertools.pairwise(edges))
        kind = "numeric"
    else:
        bins = [*CATEGORIES[feature], "unseen"]
        kind = "categorical"
    return Distribution(
        feature=feature,
        kind=kind,
        bins=bins,
        reference=expected[:-1].tolist(),
        current=current[:-1].tolist(),
        missing_reference=float(expected[-1]),
        missing_current=float(current[-1]),
        n=n,
    )
