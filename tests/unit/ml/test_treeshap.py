"""Our contributions are exact Shapley values, checked by brute force on a tiny model.

shap.TreeExplainer hands LightGBM models with categorical splits back to LightGBM's own
`pred_contrib`, so agreeing with it proves little. Here every tree of a small model is
enumerated: for each feature subset S, v(S) follows the applicant's branch at splits on
features in S and averages the children by training counts elsewhere (TreeSHAP's
path-dependent value function); the Shapley formula over those subsets must give our
contributions, and the sum of the empty-set values our base value.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from credit_app.ml.features import FEATURE_NAMES, frame_features
from credit_app.ml.model import CreditModel
from credit_app.ml.train import train_model
from tests.unit.ml.conftest import as_record

Node = dict[str, Any]
TINY_PARAMS = {
    "num_boost_round": 15,
    "num_leaves": 4,
    "min_data_in_leaf": 20,
    "learning_rate": 0.3,
    "feature_fraction": 1.0,
    "bagging_fraction": 1.0,
    "bagging_freq": 0,
    "num_threads": 1,
}


@pytest.fixture(scope="module")
def tiny_model(
    tmp_path_factory: pytest.TempPathFactory, synthetic_frame: pd.DataFrame
) -> CreditModel:
    out = tmp_path_factory.mktemp("tiny")
    train_model(synthetic_frame, out, folds=2, params=TINY_PARAMS)
    return CreditModel.load(Path(out))


def _goes_left(node: Node, x: np.ndarray) -> bool:
    """LightGBM's decision at one split for the row x."""
    value = x[node["split_feature"]]
    if node["decision_type"] == "==":
        if math.isnan(value) or value < 0:
            return False
        return int(value) in {int(c) for c in str(node["threshold"]).split("||")}
    if math.isnan(value):
        if node["missing_type"] == "NaN":
            return node["default_left"]
        value = 0.0
    if node["missing_type"] == "Zero" and value == 0.0:
        return node["default_left"]
    return value <= node["threshold"]


def _count(node: Node) -> float:
    return node["leaf_count"] if "leaf_index" in node else node["internal_count"]


def _value(node: Node, subset: set[int], x: np.ndarray) -> float:
    """E[tree(x) | x_S] under the path-dependent (training-count) distribution."""
    if "leaf_index" in node:
        return node["leaf_value"]
    left, right = node["left_child"], node["right_child"]
    if node["split_feature"] in subset:
        return _value(left if _goes_left(node, x) else right, subset, x)
    total = _count(left) + _count(right)
    return (
        _count(left) * _value(left, subset, x) + _count(right) * _value(right, subset, x)
    ) / total


def _split_features(node: Node) -> set[int]:
    if "leaf_index" in node:
        return set()
    return (
        {node["split_feature"]}
        | _split_features(node["left_child"])
        | _split_features(node["right_child"])
    )


def _leaf_of(node: Node, x: np.ndarray) -> int:
    while "leaf_index" not in node:
        node = node["left_child"] if _goes_left(node, x) else node["right_child"]
    return node["leaf_index"]


def _brute_force(trees: list[Node], x: np.ndarray) -> tuple[float, np.ndarray]:
    """Base value and exact Shapley values of the whole model for row x."""
    phi = np.zeros(len(FEATURE_NAMES))
    base = 0.0
    for root in trees:
        base += _value(root, set(), x)
        features = sorted(_split_features(root))
        n = len(features)
        for j in features:
            others = [k for k in features if k != j]
            for size in range(n):
                weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                for subset in itertools.combinations(others, size):
                    with_j = _value(root, {*subset, j}, x)
                    phi[j] += weight * (with_j - _value(root, set(subset), x))
    return base, phi


def test_contributions_are_exact_shapley_values(
    tiny_model: CreditModel, synthetic_frame: pd.DataFrame
) -> None:
    trees = [info["tree_structure"] for info in tiny_model.booster.dump_model()["tree_info"]]
    assert any("==" in str(tree) for tree in trees), "no categorical split to check"
    frame = synthetic_frame.head(25)
    matrix = frame_features(frame)
    leaves = tiny_model.booster.predict(matrix, pred_leaf=True)
    for (_, row), x, row_leaves in zip(frame.iterrows(), matrix, leaves, strict=True):
        # Our split logic must route x exactly as LightGBM does.
        assert [_leaf_of(tree, x) for tree in trees] == row_leaves.tolist()
        base, phi = _brute_force(trees, x)
        explanation = tiny_model.score(as_record(row), explain=True).explanation
        ours = {c.feature: c.contribution for c in explanation.contributions}
        np.testing.assert_allclose([ours[f] for f in FEATURE_NAMES], phi, rtol=0, atol=1e-9)
        assert explanation.base_value == pytest.approx(base, abs=1e-9)
