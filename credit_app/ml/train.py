"""Training: stratified cross-validation, business-cost threshold, final model and card."""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from credit_app.ml import performance
from credit_app.ml.artifacts import MODEL_FILE, save_artifacts, sha256_bytes
from credit_app.ml.card import CostConfig, Metrics, ModelCard, TrainingData
from credit_app.ml.features import CATEGORICAL_INDICES, FEATURE_NAMES, frame_features
from credit_app.ml.model import dense_predict
from credit_app.ml.reference import build_reference
from credit_app.ml.schema import TARGET_COLUMN

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.03,
    "num_boost_round": 400,
    "num_leaves": 15,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "cat_smooth": 20.0,
    "min_data_per_group": 50,
    "max_cat_to_onehot": 4,
    "seed": 7,
    "deterministic": True,
    "verbose": -1,
}
IMPORTANCE_SAMPLE_ROWS = 1000


def business_cost(y: np.ndarray, scores: np.ndarray, threshold: float, costs: CostConfig) -> float:
    """Total cost fn*FN + fp*FP when refusing every score >= threshold."""
    counts = performance.confusion(y, scores, threshold)
    return performance.business_cost(counts, costs.fn, costs.fp)


def best_threshold(y: np.ndarray, scores: np.ndarray, costs: CostConfig) -> tuple[float, float]:
    """The threshold with the lowest business cost (exact search) and that cost."""
    order = np.argsort(-scores, kind="stable")
    ranked, labels = scores[order], y[order]
    refused_bad = np.concatenate([[0], np.cumsum(labels == 1)])
    refused_good = np.concatenate([[0], np.cumsum(labels == 0)])
    cost = costs.fn * (refused_bad[-1] - refused_bad) + costs.fp * refused_good
    # Refusing the top k is only possible where the k-th and (k+1)-th scores differ.
    possible = np.ones(len(cost), dtype=bool)
    possible[1:-1] = ranked[:-1] != ranked[1:]
    k = int(np.flatnonzero(possible)[np.argmin(cost[possible])])
    if k == 0:
        threshold = 1.0
    elif k == len(ranked):
        threshold = float(ranked[-1])
    else:
        threshold = float((ranked[k - 1] + ranked[k]) / 2)
    return threshold, float(cost[k])


def _booster(x: np.ndarray, y: np.ndarray, params: dict[str, Any]) -> lgb.Booster:
    """Fit one LightGBM model with the text columns as native categoricals."""
    params = dict(params)
    rounds = int(params.pop("num_boost_round"))
    data = lgb.Dataset(
        x,
        y,
        feature_name=FEATURE_NAMES,
        categorical_feature=CATEGORICAL_INDICES,
        free_raw_data=True,
    )
    return lgb.train(params, data, num_boost_round=rounds)


def _baseline(x: np.ndarray, y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Out-of-fold AUC of a logistic regression on the same features and folds."""
    categorical = CATEGORICAL_INDICES
    numeric = [i for i in range(x.shape[1]) if i not in set(categorical)]
    model = make_pipeline(
        ColumnTransformer(
            [
                (
                    "numeric",
                    make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                    numeric,
                ),
                (
                    "categorical",
                    make_pipeline(
                        SimpleImputer(strategy="constant", fill_value=-1),
                        OneHotEncoder(handle_unknown="ignore"),
                    ),
                    categorical,
                ),
            ]
        ),
        LogisticRegression(C=0.1, max_iter=300),
    )
    oof = np.zeros(len(y))
    for train_rows, test_rows in folds:
        model.fit(x[train_rows], y[train_rows])
        oof[test_rows] = model.predict_proba(x[test_rows])[:, 1]
    return float(roc_auc_score(y, oof))


def _importance(booster: lgb.Booster, x: np.ndarray) -> dict[str, float]:
    """Mean |SHAP| per feature on a bounded, seeded sample of the training rows."""
    rows = np.random.default_rng(0).permutation(len(x))[:IMPORTANCE_SAMPLE_ROWS]
    contributions = dense_predict(booster, x[np.sort(rows)], contributions=True)[:, :-1]
    mean_abs = np.abs(contributions).mean(axis=0)
    ranked = sorted(zip(FEATURE_NAMES, mean_abs, strict=True), key=lambda item: -item[1])
    return {name: round(float(value), 6) for name, value in ranked}


def _check_training_frame(frame: pd.DataFrame, folds: int) -> np.ndarray:
    """The 0/1 target, after checking there is enough of each class for the folds."""
    if TARGET_COLUMN not in frame:
        raise ValueError("training data needs a TARGET column")
    if folds < 2:
        raise ValueError("folds must be at least 2")
    y = frame[TARGET_COLUMN].to_numpy(dtype=float)
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("TARGET must be 0 or 1 on every row")
    smallest = int(min((y == 1).sum(), (y == 0).sum()))
    if smallest < folds:
        raise ValueError(f"{folds} folds need at least {folds} defaults and {folds} non-defaults")
    return y.astype(np.int64)


def train_model(
    frame: pd.DataFrame,
    out_dir: Path,
    *,
    costs: CostConfig | None = None,
    folds: int = 5,
    params: dict[str, Any] | None = None,
    data_sha256: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ModelCard:
    """Cross-validate, pick the cost-minimising threshold, fit on all rows, write artifacts."""
    started = time.perf_counter()
    costs = costs or CostConfig()
    report = progress or (lambda _message: None)
    params = {**DEFAULT_PARAMS, **(params or {})}
    y = _check_training_frame(frame, folds)
    x = frame_features(frame)
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=42).split(x, y))
    oof = np.zeros(len(y))
    for number, (train_rows, test_rows) in enumerate(splits, start=1):
        booster = _booster(x[train_rows], y[train_rows], params)
        oof[test_rows] = dense_predict(booster, x[test_rows])
        report(f"fold {number}/{folds}: AUC {roc_auc_score(y[test_rows], oof[test_rows]):.4f}")
    auc = float(roc_auc_score(y, oof))
    threshold, cost = best_threshold(y, oof, costs)
    report(f"out-of-fold AUC {auc:.4f}; threshold {threshold:.4f}; fitting the baseline")
    baseline_auc = _baseline(x, y, splits)
    report(f"logistic-regression baseline AUC {baseline_auc:.4f}; fitting the final model")
    final = _booster(x, y, params)
    model_text = final.model_to_string()
    created = datetime.now(UTC).replace(microsecond=0)
    card = ModelCard(
        version=created.strftime("lgbm-%Y%m%dT%H%M%SZ"),
        created_at=created,
        threshold=threshold,
        decision_rule="refuse when probability >= threshold",
        costs=costs,
        metrics=Metrics(
            auc=auc,
            baseline_logistic_auc=baseline_auc,
            business_cost=cost,
            business_cost_per_applicant=cost / len(y),
            business_cost_at_0_5=business_cost(y, oof, 0.5, costs),
            folds=folds,
        ),
        data=TrainingData(rows=len(y), default_rate=float(y.mean()), sha256=data_sha256),
        features=FEATURE_NAMES,
        categorical_features=[FEATURE_NAMES[i] for i in CATEGORICAL_INDICES],
        params=params,
        libraries={
            "python": platform.python_version(),
            "lightgbm": lgb.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "scikit-learn": sklearn.__version__,
        },
        importance=_importance(final, x),
        reference=build_reference(x, oof),
        training_seconds=round(time.perf_counter() - started, 3),
        model_file=MODEL_FILE,
        model_sha256=sha256_bytes(model_text.encode()),
    )
    save_artifacts(Path(out_dir), model_text, card)
    return card
