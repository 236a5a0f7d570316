"""One pipeline for training and serving: the frame path and the dict path agree exactly."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_app.ml.features import (
    FEATURE_INDEX,
    FEATURE_NAMES,
    frame_features,
    record_features,
)
from credit_app.ml.loader import load_applications, validate_applicant
from credit_app.ml.model import CreditModel
from tests.unit.ml.conftest import as_record


def _assert_same_features(frame: pd.DataFrame) -> None:
    matrix = frame_features(frame)
    rows = np.vstack([record_features(as_record(row)) for _, row in frame.iterrows()])
    np.testing.assert_array_equal(matrix, rows)  # NaN == NaN here, and bit-for-bit otherwise


def test_no_skew_on_synthetic_rows(synthetic_frame: pd.DataFrame) -> None:
    _assert_same_features(synthetic_frame.head(300))


def test_no_skew_on_real_rows(real_sample: Path) -> None:
    _assert_same_features(load_applications(real_sample).frame.head(300))


def test_no_skew_on_edge_cases(synthetic_frame: pd.DataFrame) -> None:
    frame = synthetic_frame.head(6).copy()
    frame.loc[0, ["AMT_CREDIT", "AMT_ANNUITY"]] = [0.0, 0.0]
    frame.loc[1, ["EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"]] = np.nan
    frame.loc[2, "DAYS_EMPLOYED"] = 365243
    frame.loc[3, ["DAYS_EMPLOYED", "DAYS_BIRTH", "AMT_INCOME_TOTAL"]] = [np.nan, 0, np.nan]
    frame.loc[4, "ORGANIZATION_TYPE"] = "Not in the vocabulary"
    frame.loc[5, "EXT_SOURCE_2"] = 0.1 + 0.2  # rounding-sensitive sum
    _assert_same_features(frame)


def test_text_columns_as_text_or_as_categoricals_in_any_order(
    synthetic_frame: pd.DataFrame,
) -> None:
    """Loaded frames hold text as categoricals; other orders of categories must not matter."""
    as_text = synthetic_frame.head(300)
    reordered = as_text.copy()
    for column in ("NAME_CONTRACT_TYPE", "ORGANIZATION_TYPE"):
        categories = sorted(as_text[column].dropna().unique(), reverse=True)
        reordered[column] = pd.Categorical(as_text[column], categories=categories)
    loaded = load_applications(io.BytesIO(as_text.to_csv(index=False).encode())).frame
    assert isinstance(loaded["ORGANIZATION_TYPE"].dtype, pd.CategoricalDtype)
    expected = frame_features(as_text)
    np.testing.assert_array_equal(frame_features(reordered), expected)
    np.testing.assert_array_equal(frame_features(loaded.drop(columns="TARGET")), expected)
    _assert_same_features(loaded.head(50))


def test_no_skew_in_probabilities(model: CreditModel, synthetic_frame: pd.DataFrame) -> None:
    frame = synthetic_frame.head(200)
    batch = model.predict_frame(frame)
    single = [model.score(as_record(row)).probability for _, row in frame.iterrows()]
    assert batch.tolist() == single
    results = model.score_frame(frame)
    assert [r.probability for r in results] == single


def test_validated_api_input_gives_the_same_features(synthetic_frame: pd.DataFrame) -> None:
    record = as_record(synthetic_frame.iloc[0])
    json_like = {k: (int(v) if isinstance(v, np.integer) else v) for k, v in record.items()}
    cleaned, problems = validate_applicant(json_like)
    assert problems == []
    np.testing.assert_array_equal(record_features(cleaned), record_features(record))


def test_derived_features_and_sentinel() -> None:
    row = record_features(
        {
            "AMT_INCOME_TOTAL": 100_000.0,
            "AMT_CREDIT": 300_000.0,
            "AMT_ANNUITY": 25_000.0,
            "AMT_GOODS_PRICE": 270_000.0,
            "DAYS_BIRTH": -20_000,
            "DAYS_EMPLOYED": 365243,
            "EXT_SOURCE_1": 0.2,
            "EXT_SOURCE_3": 0.6,
            "CODE_GENDER": "M",
            "ORGANIZATION_TYPE": "Not a real organisation",
        }
    )[0]
    value = dict(zip(FEATURE_NAMES, row.tolist(), strict=True))
    assert value["CREDIT_INCOME_RATIO"] == 3.0
    assert value["ANNUITY_INCOME_RATIO"] == 0.25
    assert value["GOODS_CREDIT_RATIO"] == 0.9
    assert value["NOT_EMPLOYED"] == 1.0
    assert math.isnan(value["DAYS_EMPLOYED"]) and math.isnan(value["EMPLOYED_AGE_RATIO"])
    assert value["EXT_SOURCE_MEAN"] == pytest.approx(0.4)
    assert value["CODE_GENDER"] == 1.0
    assert math.isnan(value["ORGANIZATION_TYPE"])


def test_empty_applicant_is_all_missing() -> None:
    row = record_features({})[0]
    assert np.isnan(row).all()
    assert len(row) == len(FEATURE_NAMES) == len(FEATURE_INDEX)


def test_zero_denominators_are_missing() -> None:
    row = record_features({"AMT_CREDIT": 0.0, "AMT_ANNUITY": 10.0})[0]
    assert math.isnan(row[FEATURE_INDEX["ANNUITY_CREDIT_RATIO"]])
