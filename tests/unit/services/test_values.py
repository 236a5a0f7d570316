"""Values stored in JSON columns: no missing markers, no numpy types."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from credit_app.services.values import json_fields, json_records


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


def test_records_of_a_frame_match_the_fields_of_each_row() -> None:
    frame = pd.DataFrame(
        {
            "AMT_CREDIT": [1.5, np.nan, 3.0],
            "CNT_CHILDREN": np.array([0, 1, 2], dtype=np.int64),
            "CODE_GENDER": pd.Categorical(["F", None, "M"]),
            "NAME_TYPE_SUITE": ["Family", None, np.nan],
            "OWN_CAR_AGE": pd.array([1, None, 3], dtype="Int64"),
        }
    )
    records = json_records(frame)
    assert records == [json_fields(row) for row in frame.to_dict(orient="records")]
    assert records[1] == {"CNT_CHILDREN": 1}
    json.dumps(records, allow_nan=False)
