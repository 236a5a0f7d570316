"""A trained model loaded once per process: scores, decisions and TreeSHAP explanations."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import lightgbm as lgb
import numpy as np
import pandas as pd

from credit_app.ml.artifacts import ModelError, load_artifacts
from credit_app.ml.card import ModelCard
from credit_app.ml.drift import BinLayout
from credit_app.ml.features import (
    CATEGORICAL_INDICES,
    FEATURE_NAMES,
    frame_features,
    record_features,
)
from credit_app.ml.reasons import Contribution, Reason, build_reasons
from credit_app.ml.schema import CATEGORIES

__all__ = [
    "Contribution",
    "CreditModel",
    "Explanation",
    "ModelError",
    "Reason",
    "ScoreResult",
]

#: Explanations cost about 100x a score: batches larger than this are refused.
MAX_EXPLAINED_ROWS = 1000
# One row is far too little work to share between threads: OpenMP's hand-off costs more
# than the trees, and on a busy machine a waiting thread can stall a score for milliseconds.
_ONE_THREAD: dict[str, Any] = {"num_threads": 1}
_CATEGORY_NAMES = {index: CATEGORIES[FEATURE_NAMES[index]] for index in CATEGORICAL_INDICES}


@dataclass
class Explanation:
    """TreeSHAP in log-odds: base_value + sum(contributions) == the raw score."""

    base_value: float
    contributions: list[Contribution]  # every feature, largest |contribution| first
    reasons: list[Reason]


@dataclass
class ScoreResult:
    """Probability of default and the decision at the model's threshold."""

    probability: float
    decision: Literal["approve", "refuse"]
    threshold: float
    model_version: str
    explanation: Explanation | None = None
    # The applicant's bin per feature and the score's, one byte each (`drift.BinLayout`):
    # what monitoring counts, so that it never re-reads the logged inputs.
    bins: bytes | None = None


def dense_predict(
    booster: lgb.Booster, matrix: np.ndarray, *, contributions: bool = False, **params: Any
) -> np.ndarray:
    """`Booster.predict` on a dense matrix, whose answer is dense (only sparse input is not)."""
    answer = booster.predict(matrix, pred_contrib=contributions, **params)
    if not isinstance(answer, np.ndarray):
        raise TypeError(f"LightGBM answered a dense matrix with a {type(answer).__name__}")
    return answer


def _sigmoid(raw: float) -> float:
    """Logistic function, safe for large magnitudes."""
    if raw >= 0:
        return 1.0 / (1.0 + math.exp(-raw))
    z = math.exp(raw)
    return z / (1.0 + z)


class CreditModel:
    """A LightGBM booster with its card; build it with `CreditModel.load(directory)`."""

    def __init__(self, booster: lgb.Booster, card: ModelCard) -> None:
        if card.features != FEATURE_NAMES or booster.num_feature() != len(FEATURE_NAMES):
            raise ModelError(
                "the model was trained with a different feature set than this version of "
                "credit_app; retrain it"
            )
        self.booster = booster
        self.card = card
        self.version = card.version
        self.threshold = card.threshold
        self.feature_names: list[str] = list(FEATURE_NAMES)
        self.layout = BinLayout(card.reference.features, card.reference.oof_scores)

    @classmethod
    def load(cls, model_dir: Path) -> CreditModel:
        """Load and verify a model directory (sha256 checked); raises ModelError."""
        model_text, card = load_artifacts(Path(model_dir))
        try:
            booster = lgb.Booster(model_str=model_text)
        except lgb.basic.LightGBMError as exc:
            raise ModelError(f"{model_dir}: the model file is not a LightGBM model") from exc
        return cls(booster, card)

    def decide(self, probability: float) -> Literal["approve", "refuse"]:
        """Refuse at or above the threshold."""
        return "refuse" if probability >= self.threshold else "approve"

    def score(self, applicant: Mapping[str, Any], *, explain: bool = False) -> ScoreResult:
        """Score one applicant dict (Home Credit names, any field may be absent).

        Values should come from `validate_applicant`; a text value in a numeric field
        raises ValueError. Unknown keys are ignored, unknown categories count as missing.
        """
        row = record_features(applicant)
        if explain:
            contributions = dense_predict(self.booster, row, contributions=True, **_ONE_THREAD)[0]
            probability = _sigmoid(float(contributions.sum()))
            explanation = self._explanation(row[0], contributions)
        else:
            probability = float(dense_predict(self.booster, row, **_ONE_THREAD)[0])
            explanation = None
        return ScoreResult(
            probability,
            self.decide(probability),
            self.threshold,
            self.version,
            explanation,
            self.layout.codes(row, np.array([probability]))[0].tobytes(),
        )

    def predict_frame(self, frame: pd.DataFrame) -> np.ndarray:
        """Probabilities of default of a validated application frame (fast batch path)."""
        return dense_predict(self.booster, frame_features(frame))

    def score_frame(self, frame: pd.DataFrame, *, explain: bool = False) -> list[ScoreResult]:
        """One ScoreResult per row; explanations are limited to MAX_EXPLAINED_ROWS rows."""
        matrix = frame_features(frame)
        if not explain:
            probabilities = dense_predict(self.booster, matrix)
            codes = self.layout.codes(matrix, probabilities)
            return [
                ScoreResult(p, self.decide(p), self.threshold, self.version, None, row.tobytes())
                for p, row in zip(probabilities.tolist(), codes, strict=True)
            ]
        if len(matrix) > MAX_EXPLAINED_ROWS:
            raise ValueError(f"explanations are limited to {MAX_EXPLAINED_ROWS} rows per call")
        contributions = dense_predict(self.booster, matrix, contributions=True)
        probabilities = np.array([_sigmoid(float(c.sum())) for c in contributions])
        codes = self.layout.codes(matrix, probabilities)
        return [
            ScoreResult(
                p,
                self.decide(p),
                self.threshold,
                self.version,
                self._explanation(row, contribution),
                code.tobytes(),
            )
            for p, row, contribution, code in zip(
                probabilities.tolist(), matrix, contributions, codes, strict=True
            )
        ]

    def _explanation(self, row: np.ndarray, contributions: np.ndarray) -> Explanation:
        """Pair each contribution with the applicant's readable value."""
        values: list[Any] = [None if math.isnan(v) else v for v in row.tolist()]
        for index, names in _CATEGORY_NAMES.items():
            if values[index] is not None:
                values[index] = names[int(values[index])]
        items = [
            Contribution(name, value, contribution)
            for name, value, contribution in zip(
                FEATURE_NAMES, values, contributions[:-1].tolist(), strict=True
            )
        ]
        items.sort(key=lambda c: -abs(c.contribution))
        return Explanation(float(contributions[-1]), items, build_reasons(items))
