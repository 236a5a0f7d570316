"""Reference distributions of the training data, for the model card (see `ml.card`).

Numeric features: quantile bin edges and the share of present values in each bin (the
outer bins are open-ended: a new value below edges[1] falls in bin 0). Categorical
features: the share of each category. Both carry the share of missing values.
"""

from __future__ import annotations

import numpy as np

from credit_app.ml.card import (
    CategoricalReference,
    FeatureReference,
    NumericReference,
    Reference,
    ScoreReference,
)
from credit_app.ml.features import CATEGORY_CODES, FEATURE_NAMES
from credit_app.ml.schema import CATEGORIES

NUMERIC_BINS = 10
SCORE_BINS = 20


def bin_index(present: np.ndarray, edges: list[float]) -> np.ndarray:
    """Bin of each present value: outer bins open, a value on an inner edge goes above it."""
    return np.searchsorted(np.asarray(edges[1:-1], dtype=float), present, side="right")


def bin_proportions(values: np.ndarray, edges: list[float]) -> list[float]:
    """Share of the present values in each bin defined by `edges` (outer bins open)."""
    present = values[~np.isnan(values)]
    bins = max(len(edges) - 1, 1)
    if present.size == 0:
        return [0.0] * bins
    index = bin_index(present, edges)
    shares: list[float] = (np.bincount(index, minlength=bins) / present.size).round(6).tolist()
    return shares


def numeric_reference(values: np.ndarray, bins: int = NUMERIC_BINS) -> NumericReference:
    """Quantile edges, bin shares and missing share of one numeric column."""
    present = values[~np.isnan(values)]
    missing = round(1 - present.size / max(values.size, 1), 6)
    if present.size == 0:
        return NumericReference(edges=[], proportions=[], missing=missing)
    distinct = np.unique(present)
    if distinct.size <= bins:
        # One bin per value, split half-way between values: merged deciles gave every 0/1
        # flag (38 of 127 numeric features on synthetic data) a single bin, blind to drift.
        cuts = np.concatenate([distinct[:1], (distinct[:-1] + distinct[1:]) / 2, distinct[-1:]])
    else:
        cuts = np.unique(np.quantile(present, np.linspace(0, 1, bins + 1)))
    edges: list[float] = cuts.tolist()
    return NumericReference(
        edges=edges, proportions=bin_proportions(values, edges), missing=missing
    )


def categorical_reference(codes: np.ndarray, column: str) -> CategoricalReference:
    """Share of each category (by name) and missing share of one text column."""
    present = codes[~np.isnan(codes)].astype(np.int64)
    counts = np.bincount(present, minlength=len(CATEGORIES[column]))
    total = max(codes.size, 1)
    return CategoricalReference(
        frequencies={
            name: round(counts[int(code)] / total, 6)
            for name, code in CATEGORY_CODES[column].items()
            if counts[int(code)]
        },
        missing=round(1 - present.size / total, 6),
    )


def build_reference(matrix: np.ndarray, oof_scores: np.ndarray) -> Reference:
    """The card's `reference` section: every feature, plus the out-of-fold score histogram."""
    features: dict[str, FeatureReference] = {}
    for index, name in enumerate(FEATURE_NAMES):
        column = matrix[:, index]
        if name in CATEGORIES:
            features[name] = categorical_reference(column, name)
        else:
            features[name] = numeric_reference(column)
    score_edges = np.linspace(0, 1, SCORE_BINS + 1).round(6).tolist()
    return Reference(
        features=features,
        oof_scores=ScoreReference(
            edges=score_edges,
            proportions=bin_proportions(oof_scores, score_edges),
            quantiles=np.quantile(oof_scores, [0.05, 0.25, 0.5, 0.75, 0.95]).round(6).tolist(),
        ),
    )
