"""File loading and validation: every problem with its line and column, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_app.ml import loader, synth
from credit_app.ml.loader import DataFileError, load_applications, validate_applicant
from credit_app.ml.schema import CATEGORIES


@pytest.fixture(scope="module")
def clean_frame() -> pd.DataFrame:
    return synth.generate(30, seed=4)


def _csv(frame: pd.DataFrame) -> io.BytesIO:
    return io.BytesIO(frame.to_csv(index=False).encode())


def _problems(result) -> set[tuple]:
    return {(p.line, p.column) for p in result.problems}


def test_real_sample_loads_cleanly(real_sample: Path) -> None:
    result = load_applications(real_sample, require_target=True)
    assert result.problems == []
    assert len(result.frame) == 2000
    assert result.lines[0] == 2 and result.lines[-1] == 2001


def test_bad_rows_are_reported_and_the_rest_kept(clean_frame: pd.DataFrame) -> None:
    dirty = clean_frame.astype(object)
    dirty.loc[0, "AMT_INCOME_TOTAL"] = "lots"  # file line 2
    dirty.loc[3, "AMT_INCOME_TOTAL"] = -5000  # line 5
    dirty.loc[3, "CODE_GENDER"] = "Q"  # line 5, second problem
    dirty.loc[7, "EXT_SOURCE_2"] = 1.7  # line 9
    dirty.loc[8, "SK_ID_CURR"] = None  # line 10
    dirty.loc[9, "TARGET"] = 3  # line 11
    result = load_applications(_csv(dirty), require_target=True)
    assert _problems(result) == {
        (2, "AMT_INCOME_TOTAL"),
        (5, "AMT_INCOME_TOTAL"),
        (5, "CODE_GENDER"),
        (9, "EXT_SOURCE_2"),
        (10, "SK_ID_CURR"),
        (11, "TARGET"),
    }
    assert len(result.frame) == 30 - 5
    assert 2 not in result.lines and 3 in result.lines
    messages = {str(p) for p in result.problems}
    assert "line 2, AMT_INCOME_TOTAL: not a number: 'lots'" in messages
    assert "line 5, CODE_GENDER: unknown value 'Q'" in messages
    assert result.frame["AMT_INCOME_TOTAL"].dtype == float


def test_target_is_optional_for_scoring(clean_frame: pd.DataFrame) -> None:
    result = load_applications(_csv(clean_frame.drop(columns="TARGET")))
    assert result.problems == [] and "TARGET" not in result.frame


def test_max_problems(clean_frame: pd.DataFrame) -> None:
    dirty = clean_frame.astype(object)
    dirty["AMT_CREDIT"] = "x"
    result = load_applications(_csv(dirty), max_problems=4)
    assert len(result.problems) == 4 and result.truncated


def test_column_problems_name_each_column(clean_frame: pd.DataFrame) -> None:
    wrong = clean_frame.drop(columns=["AMT_CREDIT", "DAYS_BIRTH"]).assign(FAVOURITE_COLOUR="red")
    with pytest.raises(DataFileError) as caught:
        load_applications(_csv(wrong))
    assert {(p.line, p.column) for p in caught.value.problems} == {
        (1, "AMT_CREDIT"),
        (1, "DAYS_BIRTH"),
        (1, "FAVOURITE_COLOUR"),
    }
    assert "AMT_CREDIT" in str(caught.value)


def test_missing_target_when_required(clean_frame: pd.DataFrame) -> None:
    with pytest.raises(DataFileError, match="TARGET"):
        load_applications(_csv(clean_frame.drop(columns="TARGET")), require_target=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\xff\xfe" + "SK_ID_CURR".encode("utf-16-le") * 50, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\xc3\x28" * 100, "UTF-8"),
        (b"SK_ID_CURR;TARGET;NAME_CONTRACT_TYPE\n1;0;Cash loans\n", "semicolons"),
        (b"SK_ID_CURR\tTARGET\n1\t0\n", "tabs"),
        (b"name,age\nbob,3\n", "not the Home Credit"),
    ],
)
def test_malformed_files(content: bytes, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        load_applications(io.BytesIO(content))


def test_header_only(clean_frame: pd.DataFrame) -> None:
    header = clean_frame.head(0).to_csv(index=False)
    with pytest.raises(DataFileError, match="no data rows"):
        load_applications(io.StringIO(header))


def test_ragged_rows_are_reported_and_the_rest_kept(clean_frame: pd.DataFrame) -> None:
    lines = clean_frame.to_csv(index=False).splitlines()
    lines[3] += ",1,2,3"  # file line 4: too many values
    lines[6] = lines[6][:200]  # line 7: cut short
    result = load_applications(io.StringIO("\n".join(lines) + "\n"))
    assert [str(p) for p in result.problems] == [
        "line 4: expected 122 values, found 125",
        f"line 7: expected 122 values, found {lines[6].count(',') + 1}",
    ]
    assert len(result.frame) == 28
    assert 4 not in result.lines and 7 not in result.lines and result.lines[-1] == 31
    expected = clean_frame.drop(index=[2, 5]).reset_index(drop=True)
    assert result.frame["SK_ID_CURR"].tolist() == expected["SK_ID_CURR"].tolist()


def test_every_row_ragged(clean_frame: pd.DataFrame) -> None:
    lines = clean_frame.head(3).to_csv(index=False).splitlines()
    text = "\n".join([lines[0], *(line + ",x" for line in lines[1:])])
    with pytest.raises(DataFileError, match="no row has the header's 122 values") as caught:
        load_applications(io.StringIO(text))
    assert [p.line for p in caught.value.problems] == [2, 3, 4]


def test_unclosed_quote_and_other_encodings(clean_frame: pd.DataFrame) -> None:
    lines = clean_frame.to_csv(index=False).splitlines()
    lines[5] = lines[5].replace("Cash loans", '"Cash loans', 1)
    with pytest.raises(DataFileError, match="line 6: a quoted value is not closed"):
        load_applications(io.StringIO("\n".join(lines)))
    latin = clean_frame.to_csv(index=False).replace("Cash loans", "Cash lóans", 1)
    with pytest.raises(DataFileError, match="line 2: the file is not UTF-8"):
        load_applications(io.BytesIO(latin.encode("latin-1")))


def test_windows_line_endings_and_bom(clean_frame: pd.DataFrame) -> None:
    text = "\ufeff" + clean_frame.to_csv(index=False, lineterminator="\r\n")
    result = load_applications(io.BytesIO(text.encode()))
    assert result.problems == [] and len(result.frame) == 30


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_applications(tmp_path / "nope.csv")


def test_blank_lines_keep_line_numbers(clean_frame: pd.DataFrame) -> None:
    lines = clean_frame.head(3).to_csv(index=False).splitlines()
    text = "\n".join([lines[0], lines[1], "", lines[2], lines[3]]) + "\n"
    result = load_applications(io.StringIO(text))
    assert result.lines.tolist() == [2, 4, 5]


def test_validate_applicant() -> None:
    cleaned, problems = validate_applicant(
        {
            "SK_ID_CURR": 100002,
            "AMT_INCOME_TOTAL": 202500,
            "AMT_CREDIT": "a lot",
            "AMT_ANNUITY": -1.0,
            "CODE_GENDER": "F",
            "NAME_CONTRACT_TYPE": "Mortgage",
            "FLAG_OWN_CAR": True,
            "EXT_SOURCE_1": None,
            "SHOE_SIZE": 44,
            "DAYS_EMPLOYED": 365243,
        }
    )
    assert cleaned == {
        "SK_ID_CURR": 100002,
        "AMT_INCOME_TOTAL": 202500.0,
        "CODE_GENDER": "F",
        "DAYS_EMPLOYED": 365243.0,
    }
    assert {(p.column, p.line) for p in problems} == {
        ("AMT_CREDIT", None),
        ("AMT_ANNUITY", None),
        ("NAME_CONTRACT_TYPE", None),
        ("FLAG_OWN_CAR", None),
        ("SHOE_SIZE", None),
    }
    numpy_values, numpy_problems = validate_applicant(
        {"SK_ID_CURR": np.int64(7), "CNT_CHILDREN": np.int64(2), "EXT_SOURCE_1": np.float32(0.5)}
    )
    assert numpy_problems == [] and numpy_values["CNT_CHILDREN"] == 2.0
    assert {str(p) for p in problems} >= {
        "SHOE_SIZE: unknown field",
        "AMT_CREDIT: expected a number, got str",
    }


def test_big_files_parsed_in_parts_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files above the part size are parsed on several threads; nothing may change."""
    frame = synth.generate(400, seed=5).astype(object)
    frame.loc[10, "AMT_CREDIT"] = "lots"  # first part: a dirty number
    frame.loc[390, "CODE_GENDER"] = "Q"  # last part: an unknown value
    frame.loc[200, "NAME_CONTRACT_TYPE"] = "Mortgage"  # a middle part: another one
    frame.loc[250:, "OCCUPATION_TYPE"] = None  # a text column empty in the later parts
    lines = frame.to_csv(index=False).splitlines()
    lines[150] += ",extra"  # file line 151: a ragged row
    lines.insert(300, "")  # a blank line: file lines after it move down by one
    content = ("\n".join(lines) + "\n").encode()

    whole = load_applications(io.BytesIO(content))
    monkeypatch.setattr(loader, "_PARSE_PART_BYTES", len(content) // 5)
    monkeypatch.setattr(loader, "_PARSE_THREADS", 4)
    parts = load_applications(io.BytesIO(content))

    assert [str(p) for p in parts.problems] == [str(p) for p in whole.problems]
    assert {(p.line, p.column) for p in parts.problems} == {
        (12, "AMT_CREDIT"),
        (151, None),
        (202, "NAME_CONTRACT_TYPE"),
        (393, "CODE_GENDER"),
    }
    assert parts.lines.tolist() == whole.lines.tolist() and len(parts.frame) == 396
    pd.testing.assert_frame_equal(parts.frame, whole.frame)
    for column, vocabulary in CATEGORIES.items():  # the vocabulary, in its order
        assert parts.frame[column].cat.categories.tolist() == vocabulary
    assert parts.frame["OCCUPATION_TYPE"].iloc[250:].isna().all()


def test_header_without_a_line_break(clean_frame: pd.DataFrame) -> None:
    header = clean_frame.head(0).to_csv(index=False).strip()
    with pytest.raises(DataFileError, match="no data rows"):
        load_applications(io.StringIO(header))


def test_applicant_ids_must_fit_the_id_range(clean_frame: pd.DataFrame) -> None:
    dirty = clean_frame.astype(object)
    dirty.loc[0, "SK_ID_CURR"] = 0  # file line 2
    dirty.loc[1, "SK_ID_CURR"] = -7  # line 3
    dirty.loc[2, "SK_ID_CURR"] = 2**31  # line 4: one more than a 32-bit column holds
    dirty.loc[3, "SK_ID_CURR"] = 2**31 - 1  # line 5: the largest id, accepted
    result = load_applications(_csv(dirty), require_target=True)
    assert [(p.line, p.column) for p in result.problems] == [
        (line, "SK_ID_CURR") for line in (2, 3, 4)
    ]
    assert "from 1 to 2147483647" in result.problems[0].message
    assert result.frame["SK_ID_CURR"].iloc[0] == 2**31 - 1
    for value in (0, 2**40, True):
        cleaned, problems = validate_applicant({"SK_ID_CURR": value})
        assert cleaned == {} and [p.column for p in problems] == ["SK_ID_CURR"]
