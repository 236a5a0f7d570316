"""The column list and validity rules against the public format and the real sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from credit_app.ml.schema import (
    ALL_COLUMNS,
    APPLICATION_COLUMNS,
    CATEGORICAL_COLUMNS,
    CATEGORIES,
    ID_COLUMN,
    NUMERIC_COLUMNS,
    RULES,
    TARGET_COLUMN,
)


def test_column_counts() -> None:
    assert len(APPLICATION_COLUMNS) == 120
    assert len(set(ALL_COLUMNS)) == 122
    assert ALL_COLUMNS[:2] == [ID_COLUMN, TARGET_COLUMN]
    assert len(CATEGORICAL_COLUMNS) == 16
    assert len(NUMERIC_COLUMNS) == 104
    assert len(CATEGORIES["ORGANIZATION_TYPE"]) == 58


def test_real_sample_header_matches(real_sample: Path) -> None:
    header = pd.read_csv(real_sample, nrows=0).columns.tolist()
    assert header == ALL_COLUMNS


def test_every_real_value_is_valid(real_sample: Path) -> None:
    frame = pd.read_csv(real_sample)
    for column in NUMERIC_COLUMNS:
        assert not RULES[column].invalid(frame[column].to_numpy(dtype=float)).any(), column
    for column in CATEGORICAL_COLUMNS:
        assert set(frame[column].dropna()) <= set(CATEGORIES[column]), column


def test_rules() -> None:
    employed = RULES["DAYS_EMPLOYED"]
    values = np.array([-100.0, 365243.0, 5.0, np.nan, -1.5])
    assert employed.invalid(values).tolist() == [False, False, True, False, True]
    assert RULES["AMT_INCOME_TOTAL"].invalid(np.array([0.0, -1.0, 1.0])).tolist() == [
        True,
        True,
        False,
    ]
    assert "above 0" in RULES["AMT_INCOME_TOTAL"].describe()
