"""Data drift over a window: the applicants' features and scores against the training data.

Every scored prediction keeps its reference bin per feature (`predictions.bins`, a byte
each). Closed hours are counted once into drift rollups (`monitoring_rollups`: one per
hour, channel and model version); a window adds up its whole hours' rollups and counts
only its ragged ends and the hours not rolled up yet from the bins. Nothing re-reads the
logged inputs, and a month of a million predictions is a few thousand rollups."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session

from credit_app.ml import drift
from credit_app.ml.card import NumericReference
from credit_app.ml.schema import CATEGORIES
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import InvalidInput
from credit_app.services.models import ModelStore
from credit_app.services.monitoring_rollups import build_rollups, window_counts
from credit_app.services.time_windows import Window


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
