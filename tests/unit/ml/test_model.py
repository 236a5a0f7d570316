"""Loading, scoring and exact TreeSHAP explanations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_app.ml.artifacts import CARD_FILE, MODEL_FILE
from credit_app.ml.features import FEATURE_NAMES, frame_features
from credit_app.ml.model import MAX_EXPLAINED_ROWS, CreditModel, ModelError
from tests.unit.ml.conftest import as_record


def test_loaded_attributes(model: CreditModel) -> None:
    assert model.version == model.card.version
    assert model.threshold == model.card.threshold
    assert model.feature_names == FEATURE_NAMES


def test_tampered_model_is_refused(model_copy: Path) -> None:
    with (model_copy / MODEL_FILE).open("a") as handle:
        handle.write("\n")
    with pytest.raises(ModelError, match="sha256"):
        CreditModel.load(model_copy)


@pytest.mark.parametrize("missing", [MODEL_FILE, CARD_FILE])
def test_missing_files(model_copy: Path, missing: str) -> None:
    (model_copy / missing).unlink()
    with pytest.raises(ModelError, match=missing):
        CreditModel.load(model_copy)


def test_bad_cards(model_copy: Path) -> None:
    card_path = model_copy / CARD_FILE
    card_path.write_text("{not json")
    with pytest.raises(ModelError, match="not a valid model card: Invalid JSON"):
        CreditModel.load(model_copy)
    card_path.write_text(json.dumps({"version": "x"}))
    with pytest.raises(ModelError, match=r"created_at: Field required \(and \d+ more errors\)"):
        CreditModel.load(model_copy)


def test_bad_threshold(model_dir: Path, model_copy: Path) -> None:
    card = json.loads((model_dir / CARD_FILE).read_text())
    card["threshold"] = "high"
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="threshold: Input should be a valid number"):
        CreditModel.load(model_copy)


def test_feature_set_mismatch(model_dir: Path, model_copy: Path) -> None:
    card = json.loads((model_dir / CARD_FILE).read_text())
    dropped = card["features"].pop()
    del card["importance"][dropped], card["reference"]["features"][dropped]
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="different feature set"):
        CreditModel.load(model_copy)


def test_decision_follows_the_threshold(model: CreditModel, synthetic_frame: pd.DataFrame) -> None:
    for result in model.score_frame(synthetic_frame.head(100)):
        assert result.decision == ("refuse" if result.probability >= model.threshold else "approve")
        assert result.model_version == model.version and result.explanation is None


def test_any_field_may_be_missing(model: CreditModel) -> None:
    result = model.score({}, explain=True)
    assert 0 < result.probability < 1
    assert result.explanation is not None


def test_contributions_add_up_to_the_raw_score(
    model: CreditModel, synthetic_frame: pd.DataFrame
) -> None:
    frame = synthetic_frame.head(20)
    raw = model.booster.predict(frame_features(frame), raw_score=True)
    for (_, row), expected in zip(frame.iterrows(), raw, strict=True):
        result = model.score(as_record(row), explain=True)
        explanation = result.explanation
        total = explanation.base_value + sum(c.contribution for c in explanation.contributions)
        assert total == pytest.approx(expected, abs=1e-9)
        assert result.probability == pytest.approx(1 / (1 + np.exp(-expected)), abs=1e-12)
        assert {c.feature for c in explanation.contributions} == set(FEATURE_NAMES)


@pytest.mark.filterwarnings("ignore:LightGBM binary classifier:UserWarning")
def test_contributions_equal_shap(model: CreditModel, synthetic_frame: pd.DataFrame) -> None:
    """shap answers LightGBM models with categorical splits through the same exact TreeSHAP."""
    shap = pytest.importorskip("shap")
    frame = synthetic_frame.head(25)
    explainer = shap.TreeExplainer(model.booster)
    expected = np.asarray(explainer.shap_values(frame_features(frame)))
    assert expected.shape == (len(frame), len(FEATURE_NAMES))
    expected_base = float(np.ravel(explainer.expected_value)[-1])
    for (_, row), shap_row in zip(frame.iterrows(), expected, strict=True):
        explanation = model.score(as_record(row), explain=True).explanation
        by_feature = {c.feature: c.contribution for c in explanation.contributions}
        ours = np.array([by_feature[name] for name in FEATURE_NAMES])
        np.testing.assert_allclose(ours, shap_row, rtol=0, atol=1e-6)
        assert explanation.base_value == pytest.approx(expected_base, abs=1e-6)


def test_explanation_values_are_readable(model: CreditModel) -> None:
    applicant = {
        "CODE_GENDER": "M",
        "AMT_INCOME_TOTAL": 100_000.0,
        "AMT_ANNUITY": 32_000.0,
        "EXT_SOURCE_2": 0.1,
    }
    explanation = model.score(applicant, explain=True).explanation
    values = {c.feature: c.value for c in explanation.contributions}
    assert values["CODE_GENDER"] == "M"
    assert values["ANNUITY_INCOME_RATIO"] == pytest.approx(0.32)
    assert values["AMT_CREDIT"] is None
    contributions = [abs(c.contribution) for c in explanation.contributions]
    assert contributions == sorted(contributions, reverse=True)
    reasons = explanation.reasons
    assert reasons and all(r.text.endswith(f"({r.direction} the risk)") for r in reasons)
    raising = [r for r in reasons if r.direction == "raises"]
    assert all(r.contribution > 0 for r in raising)


def test_batch_explanations_are_bounded(model: CreditModel, synthetic_frame: pd.DataFrame) -> None:
    explained = model.score_frame(synthetic_frame.head(5), explain=True)
    single = model.score(as_record(synthetic_frame.iloc[0]), explain=True)
    assert explained[0].probability == pytest.approx(single.probability, abs=1e-15)
    assert explained[0].explanation.reasons == single.explanation.reasons
    big = pd.concat([synthetic_frame] * (MAX_EXPLAINED_ROWS // len(synthetic_frame) + 1))
    with pytest.raises(ValueError, match="limited"):
        model.score_frame(big, explain=True)
