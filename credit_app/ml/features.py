"""The one feature pipeline shared by training and serving.

Both entry points fill the same float matrix with the raw application columns (text
columns as LightGBM category codes) and then run the same `_derive` on it, so a file
row and a single applicant dict cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from credit_app.ml.schema import (
    APPLICATION_COLUMNS,
    CATEGORICAL_COLUMNS,
    CATEGORIES,
    DAYS_EMPLOYED_NOT_EMPLOYED,
)

DERIVED_FEATURES = [
    "NOT_EMPLOYED",
    "CREDIT_INCOME_RATIO",
    "ANNUITY_INCOME_RATIO",
    "ANNUITY_CREDIT_RATIO",
    "EMPLOYED_AGE_RATIO",
    "GOODS_CREDIT_RATIO",
    "EXT_SOURCE_MEAN",
]
FEATURE_NAMES: list[str] = [*APPLICATION_COLUMNS, *DERIVED_FEATURES]
FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FEATURE_NAMES)}
CATEGORICAL_INDICES: list[int] = [FEATURE_INDEX[c] for c in CATEGORICAL_COLUMNS]
#: Category code of each text value, per text column (unknown values become missing).
CATEGORY_CODES: dict[str, dict[str, float]] = {
    column: {value: float(code) for code, value in enumerate(values)}
    for column, values in CATEGORIES.items()
}
_CATEGORICAL_SET = frozenset(CATEGORICAL_COLUMNS)
_RAW_INDEX = {c: FEATURE_INDEX[c] for c in APPLICATION_COLUMNS if c not in _CATEGORICAL_SET}
_N = len(FEATURE_NAMES)
_I = FEATURE_INDEX


def frame_features(frame: pd.DataFrame) -> np.ndarray:
    """Feature matrix (rows x FEATURE_NAMES, float64) of a validated application frame."""
    matrix = np.full((len(frame), _N), np.nan)
    for column, index in _RAW_INDEX.items():
        matrix[:, index] = frame[column].to_numpy(dtype=float, na_value=np.nan)
    for column in CATEGORICAL_COLUMNS:
        codes = pd.Categorical(frame[column], categories=CATEGORIES[column]).codes
        matrix[:, _I[column]] = np.where(codes < 0, np.nan, codes)
    _derive(matrix)
    return matrix


def record_features(record: Mapping[str, Any]) -> np.ndarray:
    """Feature row (1 x FEATURE_NAMES) of one applicant dict; unknown keys are ignored."""
    row = np.full((1, _N), np.nan)
    values = row[0]
    for key, value in record.items():
        if value is None:
            continue
        index = _RAW_INDEX.get(key)
        if index is not None:
            values[index] = value
        elif key in _CATEGORICAL_SET:
            values[_I[key]] = CATEGORY_CODES[key].get(value, np.nan)
    _derive(row)
    return row


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise ratio, missing where the denominator is zero or missing."""
    out = np.full_like(numerator, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _derive(m: np.ndarray) -> None:
    """Fix sentinels and compute the derived columns, in place."""
    employed = m[:, _I["DAYS_EMPLOYED"]]
    sentinel = employed == DAYS_EMPLOYED_NOT_EMPLOYED
    m[:, _I["NOT_EMPLOYED"]] = np.where(np.isnan(employed), np.nan, sentinel)
    employed[sentinel] = np.nan
    income, credit = m[:, _I["AMT_INCOME_TOTAL"]], m[:, _I["AMT_CREDIT"]]
    annuity = m[:, _I["AMT_ANNUITY"]]
    m[:, _I["CREDIT_INCOME_RATIO"]] = _ratio(credit, income)
    m[:, _I["ANNUITY_INCOME_RATIO"]] = _ratio(annuity, income)
    m[:, _I["ANNUITY_CREDIT_RATIO"]] = _ratio(annuity, credit)
    m[:, _I["EMPLOYED_AGE_RATIO"]] = _ratio(employed, m[:, _I["DAYS_BIRTH"]])
    m[:, _I["GOODS_CREDIT_RATIO"]] = _ratio(m[:, _I["AMT_GOODS_PRICE"]], credit)
    ext = m[:, _I["EXT_SOURCE_1"] : _I["EXT_SOURCE_3"] + 1]
    present = ~np.isnan(ext)
    m[:, _I["EXT_SOURCE_MEAN"]] = _ratio(np.where(present, ext, 0.0).sum(axis=1), present.sum(1))
