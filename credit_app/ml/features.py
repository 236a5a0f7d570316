"""The one feature pipeline shared by training and serving.

Both entry points place the raw application columns at the same positions (text columns
as LightGBM category codes from `CATEGORY_CODES`) and derive the same columns from one
specification (`_RATIOS`, the DAYS_EMPLOYED sentinel, the external-score mean): with
numpy over a whole frame, with plain floats for one applicant, because a dozen numpy
calls on a single row would cost more than the model itself. The tests hold the two
executions to bit-for-bit equality.
"""

from __future__ import annotations

import math
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
_VOCABULARIES = {column: pd.Index(CATEGORIES[column]) for column in CATEGORICAL_COLUMNS}
_CATEGORICAL_SET = frozenset(CATEGORICAL_COLUMNS)
_RAW_INDEX = {c: FEATURE_INDEX[c] for c in APPLICATION_COLUMNS if c not in _CATEGORICAL_SET}
_RAW_POSITIONS = np.array(list(_RAW_INDEX.values()))
_N = len(FEATURE_NAMES)
_I = FEATURE_INDEX


def frame_features(frame: pd.DataFrame) -> np.ndarray:
    """Feature matrix (rows x FEATURE_NAMES, float64) of a validated application frame."""
    matrix = np.full((len(frame), _N), np.nan)
    raw = frame[list(_RAW_INDEX)].to_numpy(dtype=float, na_value=np.nan)
    matrix[:, _RAW_POSITIONS] = raw
    for column, vocabulary in _VOCABULARIES.items():
        series = frame[column]
        # (an unordered CategoricalDtype equals one with its categories in any order)
        if isinstance(series.dtype, pd.CategoricalDtype) and vocabulary.equals(
            series.cat.categories
        ):
            codes = series.cat.codes.to_numpy()
        else:
            codes = vocabulary.get_indexer(pd.Index(series, copy=False))
        matrix[:, _I[column]] = np.where(codes < 0, np.nan, codes)
    _derive(matrix)
    return matrix


def record_features(record: Mapping[str, Any]) -> np.ndarray:
    """Feature row (1 x FEATURE_NAMES) of one applicant dict; unknown keys are ignored."""
    values = [math.nan] * _N
    for key, value in record.items():
        if value is None:
            continue
        index = _RAW_INDEX.get(key)
        if index is not None:
            values[index] = float(value)
        elif key in _CATEGORICAL_SET:
            values[_I[key]] = CATEGORY_CODES[key].get(value, math.nan)
    _derive_values(values)
    return np.array([values])


# Derived ratios: (feature, numerator column, denominator column).
_RATIOS = (
    ("CREDIT_INCOME_RATIO", "AMT_CREDIT", "AMT_INCOME_TOTAL"),
    ("ANNUITY_INCOME_RATIO", "AMT_ANNUITY", "AMT_INCOME_TOTAL"),
    ("ANNUITY_CREDIT_RATIO", "AMT_ANNUITY", "AMT_CREDIT"),
    ("EMPLOYED_AGE_RATIO", "DAYS_EMPLOYED", "DAYS_BIRTH"),
    ("GOODS_CREDIT_RATIO", "AMT_GOODS_PRICE", "AMT_CREDIT"),
)
_RATIO_INDICES = [
    (_I[out], _I[numerator], _I[denominator]) for out, numerator, denominator in _RATIOS
]
_RATIO_OUT, _RATIO_NUMERATOR, _RATIO_DENOMINATOR = (
    np.array(i) for i in zip(*_RATIO_INDICES, strict=True)
)
_EMPLOYED, _NOT_EMPLOYED = _I["DAYS_EMPLOYED"], _I["NOT_EMPLOYED"]
_EXT = slice(_I["EXT_SOURCE_1"], _I["EXT_SOURCE_3"] + 1)
_EXT_INDICES = range(_EXT.start, _EXT.stop)
_EXT_MEAN = _I["EXT_SOURCE_MEAN"]
#: The application columns each derived feature is computed from.
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "NOT_EMPLOYED": ("DAYS_EMPLOYED",),
    **{out: (numerator, denominator) for out, numerator, denominator in _RATIOS},
    "EXT_SOURCE_MEAN": tuple(FEATURE_NAMES[i] for i in _EXT_INDICES),
}


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise ratio, missing where the denominator is zero or missing."""
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _derive(m: np.ndarray) -> None:
    """Fix the DAYS_EMPLOYED sentinel and compute the derived columns of a matrix, in place."""
    employed = m[:, _EMPLOYED]
    sentinel = employed == DAYS_EMPLOYED_NOT_EMPLOYED
    m[:, _NOT_EMPLOYED] = np.where(np.isnan(employed), np.nan, sentinel)
    employed[sentinel] = np.nan
    m[:, _RATIO_OUT] = _ratio(m[:, _RATIO_NUMERATOR], m[:, _RATIO_DENOMINATOR])
    ext = m[:, _EXT]
    present = ~np.isnan(ext)
    m[:, _EXT_MEAN] = _ratio(np.where(present, ext, 0.0).sum(axis=1), present.sum(axis=1))


def _derive_values(v: list[float]) -> None:
    """`_derive` for one row held as a list of floats, in place."""
    employed = v[_EMPLOYED]
    if employed == DAYS_EMPLOYED_NOT_EMPLOYED:
        v[_NOT_EMPLOYED], v[_EMPLOYED] = 1.0, math.nan
    elif not math.isnan(employed):
        v[_NOT_EMPLOYED] = 0.0
    for out, numerator, denominator in _RATIO_INDICES:
        v[out] = v[numerator] / v[denominator] if v[denominator] != 0 else math.nan
    present = [v[i] for i in _EXT_INDICES if not math.isnan(v[i])]
    v[_EXT_MEAN] = sum(present) / len(present) if present else math.nan
