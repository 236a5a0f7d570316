"""Load and validate Home Credit application files and single applicants."""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from credit_app.ml.schema import (
    APPLICATION_COLUMNS,
    CATEGORICAL_COLUMNS,
    CATEGORIES,
    ID_COLUMN,
    NUMERIC_COLUMNS,
    RULES,
    TARGET_COLUMN,
    Rule,
)

FIRST_DATA_LINE = 2  # line 1 is the header
_CATEGORY_SETS = {column: frozenset(values) for column, values in CATEGORIES.items()}
_NUMERIC_SET = frozenset(NUMERIC_COLUMNS)
_SNIFF_BYTES = 8192


@dataclass
class Problem:
    """One thing wrong with the input: where (file line, column) and what."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class DataFileError(Exception):
    """The whole file cannot be used; `problems` lists why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [Problem(None, None, message)]


@dataclass
class LoadResult:
    """Valid rows (typed, bad rows removed), the per-row problems, and each row's file line."""

    frame: pd.DataFrame
    problems: list[Problem]
    lines: np.ndarray = field(repr=False)  # 1-based file line of each row of `frame`
    truncated: bool = False  # more problems than `max_problems` were found


def load_applications(
    source: str | Path | IO, *, require_target: bool = False, max_problems: int = 1000
) -> LoadResult:
    """Read a CSV in the Home Credit format; bad rows are reported and left out.

    Empty cells and pandas' usual markers (NA, NaN, null, n/a, ...) count as missing.
    """
    raw = _read_bytes(source)
    text = _decode(raw)
    header = _check_header(text, require_target)
    lines, ragged = _check_row_lengths(text, len(header))
    if ragged and not lines.size:
        message = f"no row has the header's {len(header)} values (first: {ragged[0]})"
        raise DataFileError(message, ragged[:max_problems])
    if ragged:  # parse only the rows with the right number of values
        kept = text.split("\n")
        raw = "\n".join([kept[0], *(kept[line - 1] for line in lines)]).encode()
    frame = _parse(raw)
    if len(frame) != len(lines):
        raise DataFileError("the rows cannot be told apart: are there line breaks inside values?")
    if frame.empty:
        raise DataFileError("the file has a header but no data rows")
    checker = _FrameChecker(frame, lines)
    checker.problems += ragged
    checker.check_id()
    if require_target:
        checker.check_target()
    checker.check_numeric()
    checker.check_categorical()
    keep = ~checker.bad
    leading = [c for c in (ID_COLUMN, TARGET_COLUMN) if c in frame]
    columns = leading + APPLICATION_COLUMNS
    if not keep.all():
        frame = frame.loc[keep].reset_index(drop=True)
    if frame.columns.tolist() != columns:
        frame = frame[columns]
    problems = sorted(checker.problems, key=lambda p: (p.line or 0, p.column or ""))
    return LoadResult(
        frame=frame,
        problems=problems[:max_problems],
        lines=lines[keep],
        truncated=len(problems) > max_problems,
    )


def _read_bytes(source: str | Path | IO) -> bytes:
    """The raw content of a path or an open (text or binary) file."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise DataFileError(f"no such file: {path}")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise DataFileError(f"cannot read {path}: {exc.strerror}") from exc
    content = source.read()
    return content.encode() if isinstance(content, str) else content


def _decode(raw: bytes) -> str:
    """The file as text, refusing binary content and other encodings than UTF-8."""
    if not raw.strip():
        raise DataFileError("the file is empty")
    if b"\x00" in raw[:_SNIFF_BYTES]:
        raise DataFileError("the file is binary, not a CSV text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"line {line}: the file is not UTF-8 text (save it as CSV UTF-8)",
            [Problem(line, None, "not UTF-8 text")],
        ) from exc


def _check_row_lengths(text: str, columns: int) -> tuple[np.ndarray, list[Problem]]:
    """File lines of the data rows with `columns` values, and a problem for each other row.

    Home Credit files have no line breaks inside values, so a row is a line (blank lines
    are skipped, as pandas does); a quote left open on its line is a file error.
    """
    rows = text.split("\n")[1:]
    expected = columns - 1
    good: list[int] = []
    problems: list[Problem] = []
    for line, row in enumerate(rows, start=FIRST_DATA_LINE):
        if '"' in row:
            pieces = row.split('"')
            if len(pieces) % 2 == 0:
                message = f"line {line}: a quoted value is not closed on its line"
                raise DataFileError(message, [Problem(line, None, message)])
            separators = sum(piece.count(",") for piece in pieces[::2])
        else:
            separators = row.count(",")
        if separators == expected:
            good.append(line)
        elif not row.strip():
            continue  # blank lines are skipped, as pandas does
        else:
            found = separators + 1
            problems.append(Problem(line, None, f"expected {columns} values, found {found}"))
    return np.array(good, dtype=np.int64), problems


def _check_header(text: str, require_target: bool) -> list[str]:
    """The header's column names, or a DataFileError naming every column problem."""
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).rstrip("\r")
    names = [name.strip().strip('"') for name in first.split(",")]
    if len(names) == 1:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in first:
                raise DataFileError(f"the file uses {label} between values; expected commas")
    allowed = {ID_COLUMN, TARGET_COLUMN, *APPLICATION_COLUMNS}
    required = [ID_COLUMN, *APPLICATION_COLUMNS] + ([TARGET_COLUMN] if require_target else [])
    problems = [Problem(1, n, "unknown column") for n in names if n not in allowed]
    problems += [
        Problem(1, name, f"column appears {names.count(name)} times")
        for name in sorted(set(names))
        if names.count(name) > 1
    ]
    problems += [Problem(1, c, "required column is missing") for c in required if c not in names]
    if problems:
        if len(problems) > len(required) // 2:
            summary = "the header is not the Home Credit application format"
        else:
            summary = "; ".join(str(p) for p in problems[:5])
        raise DataFileError(f"{summary} ({len(problems)} column problems)", problems)
    return names


def _parse(raw: bytes) -> pd.DataFrame:
    """Parse the CSV; numeric columns come back as floats or, if dirty, as text."""
    dtypes = {c: "str" for c in CATEGORICAL_COLUMNS}
    try:
        return pd.read_csv(io.BytesIO(raw), dtype=dtypes, low_memory=False)
    except pd.errors.ParserError as exc:
        reason = str(exc).strip().splitlines()[-1]
        raise DataFileError(f"the file is not valid CSV: {reason}") from exc


class _FrameChecker:
    """Vectorised row checks that mark bad rows and collect their problems."""

    def __init__(self, frame: pd.DataFrame, lines: np.ndarray) -> None:
        self.frame = frame
        self.lines = lines
        self.bad = np.zeros(len(frame), dtype=bool)
        self.problems: list[Problem] = []

    def _report(
        self,
        mask: np.ndarray,
        column: str,
        message: str | Callable[[Any], str],
        values: Any = None,
    ) -> None:
        """Record a problem for each row in `mask`; a callable message gets the row's value."""
        if not mask.any():
            return
        self.bad |= mask
        for row in np.flatnonzero(mask):
            text = message(values[row]) if callable(message) else message
            self.problems.append(Problem(int(self.lines[row]), column, text))

    def _to_numbers(self, column: str) -> np.ndarray:
        """The column as floats, reporting cells that are not numbers; writes back the floats."""
        series = self.frame[column]
        if pd.api.types.is_numeric_dtype(series.dtype):
            return series.to_numpy(dtype=float, na_value=np.nan)
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        wrong = np.isnan(values) & series.notna().to_numpy()
        self._report(wrong, column, lambda v: f"not a number: {v!r}", series.to_numpy())
        self.frame[column] = values
        return values

    def check_id(self) -> None:
        """Every row needs a whole-number applicant id."""
        ids = self._to_numbers(ID_COLUMN)
        with np.errstate(invalid="ignore"):
            self._report(np.isnan(ids), ID_COLUMN, "applicant id is missing")
            self._report(~np.isnan(ids) & (ids != np.floor(ids)), ID_COLUMN, "not a whole number")

    def check_target(self) -> None:
        """Training rows need TARGET 0 or 1."""
        target = self._to_numbers(TARGET_COLUMN)
        self._report(~np.isin(target, (0.0, 1.0)), TARGET_COLUMN, "TARGET must be 0 or 1")

    def check_numeric(self) -> None:
        """Numbers must parse and respect their column's rule."""
        for column in NUMERIC_COLUMNS:
            values = self._to_numbers(column)
            rule = RULES[column]
            self._report(rule.invalid(values), column, _impossible(rule), values)

    def check_categorical(self) -> None:
        """Text values must belong to the column's vocabulary."""
        for column in CATEGORICAL_COLUMNS:
            series = self.frame[column]
            unknown = (series.notna() & ~series.isin(CATEGORIES[column])).to_numpy()
            self._report(unknown, column, lambda v: f"unknown value {v!r}", series.to_numpy())


def _impossible(rule: Rule) -> Callable[[float], str]:
    """Message maker for values that break `rule`."""
    return lambda value: f"{value:g} is impossible: expected {rule.describe()}"


def validate_applicant(record: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Check one JSON-like applicant; returns the cleaned fields and the problems found."""
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in record.items():
        if value is None or value == "":
            continue
        if key == ID_COLUMN:
            if isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_):
                cleaned[key] = int(value)
            else:
                problems.append(Problem(None, key, "applicant id must be a whole number"))
        elif key in _NUMERIC_SET:
            number, message = _clean_number(key, value)
            if message:
                problems.append(Problem(None, key, message))
            else:
                cleaned[key] = number
        elif key in _CATEGORY_SETS:
            if not isinstance(value, str):
                problems.append(Problem(None, key, f"expected text, got {type(value).__name__}"))
            elif value not in _CATEGORY_SETS[key]:
                problems.append(Problem(None, key, f"unknown value {value!r}"))
            else:
                cleaned[key] = value
        elif key != TARGET_COLUMN:
            problems.append(Problem(None, key, "unknown field"))
    return cleaned, problems


def _clean_number(column: str, value: Any) -> tuple[float, str | None]:
    """A JSON number as float, or the reason it is not acceptable."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return math.nan, f"expected a number, got {type(value).__name__}"
    number = float(value)
    rule = RULES[column]
    if math.isnan(number) or rule.invalid(np.array([number]))[0]:
        return math.nan, _impossible(rule)(number)
    return number, None
