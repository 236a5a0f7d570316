"""Values stored in JSON columns: no missing markers, no numpy types."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from credit_app.services.values import json_fields


def test_missing_markers_are_left_out_and_numpy_numbers_unboxed() -> None:
    row = {
        "AMT_CREDIT": np.float64(1.5),
        "CNT_CHILDREN": np.int64(2),
        "CODE_GENDER": "F",
        "EXT_SOURCE_1": math.nan,
        "EXT_SOURCE_2": None,
        "OCCUPATION_TYPE": pd.NA,
        "FLAG_OWN_CAR": np.float32(0.0),
    }
    fields = json_fields(row)
    assert fields == {"AMT_CREDIT": 1.5, "CNT_CHILDREN": 2, "CODE_GENDER": "F", "FLAG_OWN_CAR": 0.0}
    assert [type(v) for v in fields.values()] == [float, int, str, float]
    json.dumps(fields, allow_nan=False)


def test_only_the_given_keys() -> None:
    assert json_fields({"a": 1, "b": 2, "TARGET": 1}, ["a", "c"]) == {"a": 1}
