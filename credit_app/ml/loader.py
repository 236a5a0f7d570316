"""Load and validate Home Credit application files and single applicants."""

from __future__ import annotations

import io
import math
import numbers
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
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
    ID_RULE_TEXT,
    MAX_ID,
    MIN_ID,
    NUMERIC_COLUMNS,
    RULES,
    TARGET_COLUMN,
    Rule,
    is_valid_id,
)

FIRST_DATA_LINE = 2  # line 1 is the header
_CATEGORY_SETS = {column: frozenset(values) for column, values in CATEGORIES.items()}
_PARSE_DTYPES = {column: "category" for column in CATEGORICAL_COLUMNS}
_PARSE_THREADS = min(os.cpu_count() or 1, 4)
_PARSE_PART_BYTES = 4 << 20  # files under 8 MiB are parsed in one piece
_NUMERIC_SET = frozenset(NUMERIC_COLUMNS)
_SNIFF_BYTES = 8192
_NEWLINE, _COMMA, _QUOTE = b"\n"[0], b","[0], b'"'[0]


@dataclass
class Problem:
    """One thing wrong with the input: where (file line, column) and what, in English, and
    as a code with its parameters, from which a page says it in the reader's language."""

    line: int | None
    column: str | None
    message: str
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


class DataFileError(Exception):
    """The whole file cannot be used; `problems` lists why."""

    def __init__(
        self, message: str, problems: list[Problem] | None = None, code: str = "", **params: Any
    ) -> None:
        super().__init__(message)
        self.problems = problems or [Problem(None, None, message, code, params)]
        self.code = code
        self.params = params


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
    header = _check_header(_decode(raw), require_target)
    frame, lines, ragged = _parse(raw, header)
    if ragged and not lines.size:
        message = f"no row has the header's {len(header)} values (first: {ragged[0]})"
        raise DataFileError(message, ragged[:max_problems], "no_row_fits", columns=len(header))
    if frame.empty:
        raise DataFileError("the file has a header but no data rows", code="no_rows")
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
    # Text columns leave as categoricals over the vocabulary, in CATEGORIES order, so that
    # a value's category code is its feature value; the unknown values went with their rows.
    for column in CATEGORICAL_COLUMNS:
        frame[column] = frame[column].cat.set_categories(CATEGORIES[column])
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
    if not raw or raw.isspace():
        raise DataFileError("the file is empty", code="empty")
    if b"\x00" in raw[:_SNIFF_BYTES]:
        raise DataFileError("the file is binary, not a CSV text file", code="binary")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"line {line}: the file is not UTF-8 text (save it as CSV UTF-8)",
            [Problem(line, None, "not UTF-8 text", "not_utf8")],
            "not_utf8",
            line=str(line),
        ) from exc


def _check_row_lengths(
    body: bytes, columns: int, first_line: int
) -> tuple[np.ndarray, list[Problem]]:
    """File lines of the rows in `body` with `columns` values, and a problem for each other row.

    `body` holds whole data lines, the first of them file line `first_line`. Home Credit
    files have no line breaks inside values, so a row is a line (blank lines are skipped,
    as pandas does); a quote left open on its line is a file error. The separators outside
    quotes are counted with numpy over the bytes (a Python loop over 100,000 lines took a
    third of a second); only rows that fail are looked at in Python.
    """
    if not body:
        return np.zeros(0, dtype=np.int64), []
    data = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(data == _NEWLINE)
    if not ends.size or ends[-1] != data.size - 1:
        ends = np.append(ends, data.size)  # a last line without a line break
    starts = np.concatenate(([0], ends[:-1] + 1))
    is_comma = (data == _COMMA).view(np.uint8)
    separators = np.add.reduceat(is_comma, starts, dtype=np.int32)  # commas in each line
    quotes = np.flatnonzero(data == _QUOTE)
    if quotes.size:
        line_of_quote = np.searchsorted(ends, quotes)
        odd = np.flatnonzero(np.bincount(line_of_quote, minlength=ends.size) % 2)
        if odd.size:
            line = first_line + int(odd[0])
            message = f"line {line}: a quoted value is not closed on its line"
            problem = Problem(line, None, message, "unclosed_quote")
            raise DataFileError(message, [problem], "unclosed_quote", line=str(line))
        # Quotes pair up within each line: commas between a pair are inside a value.
        inside = np.add.reduceat(is_comma, quotes, dtype=np.int32)[::2]
        separators -= np.bincount(line_of_quote[::2], inside, ends.size).astype(np.int32)
    lines = np.arange(first_line, first_line + ends.size, dtype=np.int64)
    fits = separators == columns - 1
    problems = [
        Problem(
            int(lines[row]),
            None,
            f"expected {columns} values, found {separators[row] + 1}",
            "ragged",
            {"expected": columns, "found": int(separators[row] + 1)},
        )
        for row in np.flatnonzero(~fits)
        if body[starts[row] : ends[row]].strip()  # blank lines are skipped, as pandas does
    ]
    return lines[fits], problems


def _check_header(text: str, require_target: bool) -> list[str]:
    """The header's column names, or a DataFileError naming every column problem."""
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).rstrip("\r")
    names = [name.strip().strip('"') for name in first.split(",")]
    if len(names) == 1:
        for delimiter, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in first:
                raise DataFileError(
                    f"the file uses {label} between values; expected commas",
                    code="delimiter",
                    delimiter=delimiter.replace("\t", "tab"),
                )
    allowed = {ID_COLUMN, TARGET_COLUMN, *APPLICATION_COLUMNS}
    required = [ID_COLUMN, *APPLICATION_COLUMNS] + ([TARGET_COLUMN] if require_target else [])
    problems = [
        Problem(1, n, "unknown column", "unknown_column") for n in names if n not in allowed
    ]
    problems += [
        Problem(
            1,
            name,
            f"column appears {names.count(name)} times",
            "duplicate_column",
            {"count": names.count(name)},
        )
        for name in sorted(set(names))
        if names.count(name) > 1
    ]
    problems += [
        Problem(1, c, "required column is missing", "missing_column")
        for c in required
        if c not in names
    ]
    if problems:
        if len(problems) > len(required) // 2:
            summary = "the header is not the Home Credit application format"
        else:
            summary = "; ".join(str(p) for p in problems[:5])
        raise DataFileError(
            f"{summary} ({len(problems)} column problems)",
            problems,
            "column_problems",
            count=len(problems),
        )
    return names


def _parse(raw: bytes, header: list[str]) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """The rows with a value for each header name parsed, their file lines, and the other
    rows' problems. The columns get the names `_check_header` checked.

    Numbers come back as floats (as text if dirty), text columns as categoricals whose
    categories start with the column's vocabulary. Big files are cut at line breaks and the
    parts scanned and parsed at once on the machine's cores (numpy and pandas' C reader
    release the GIL for most of that work).
    """
    header_end = raw.find(b"\n") + 1 or len(raw)  # no line break: the header alone
    parts = min(_PARSE_THREADS, len(raw) // _PARSE_PART_BYTES)
    cuts = [header_end]
    if parts > 1:
        size = len(raw) - header_end
        breaks = (raw.find(b"\n", header_end + size * k // parts) for k in range(1, parts))
        cuts += sorted({end + 1 for end in breaks if end >= 0})
    jobs = []
    first_line = FIRST_DATA_LINE
    for start, stop in zip(cuts, [*cuts[1:], len(raw)], strict=True):
        jobs.append((raw, header_end, start, stop, first_line, header))
        first_line += raw.count(b"\n", start, stop)
    if len(jobs) == 1:
        results = [_parse_part(*jobs[0])]
    else:
        with ThreadPoolExecutor(len(jobs)) as pool:
            results = list(pool.map(_parse_part, *zip(*jobs, strict=True)))
    frames = [frame for frame, _, _ in results if not frame.empty] or [results[0][0]]
    for column in CATEGORICAL_COLUMNS:
        seen = [frame[column].cat.categories for frame in frames]
        categories = [*CATEGORIES[column], *sorted(set().union(*seen) - _CATEGORY_SETS[column])]
        for frame in frames:
            frame[column] = frame[column].cat.set_categories(categories)
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    lines = np.concatenate([part_lines for _, part_lines, _ in results])
    return frame, lines, [problem for _, _, problems in results for problem in problems]


def _parse_part(
    raw: bytes, header_end: int, start: int, stop: int, first_line: int, header: list[str]
) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """`_parse` for the lines in raw[start:stop], the first of them file line `first_line`."""
    body = raw[start:stop]
    lines, problems = _check_row_lengths(body, len(header), first_line)
    if problems:  # parse only the rows with the right number of values
        rows = body.split(b"\n")
        body = b"\n".join(rows[line - first_line] for line in lines.tolist())
    try:
        frame = pd.read_csv(
            io.BytesIO(raw[:header_end] + body),
            header=0,
            names=header,  # as checked: pandas would keep spaces around a name, say
            dtype=_PARSE_DTYPES,
            low_memory=False,
        )
    except pd.errors.ParserError as exc:
        reason = str(exc).strip().splitlines()[-1]
        raise DataFileError(f"the file is not valid CSV: {reason}") from exc
    if len(frame) != len(lines):
        raise DataFileError("the rows cannot be told apart: are there line breaks inside values?")
    return frame, lines, problems


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
        code: str,
        values: Any = None,
        **params: Any,
    ) -> None:
        """Record a problem `code` for each row in `mask`, with the row's value if given."""
        if not mask.any():
            return
        self.bad |= mask
        for row in np.flatnonzero(mask):
            shown = dict(params)
            if values is not None:
                shown["value"] = _plain(values[row])
            problem = Problem(int(self.lines[row]), column, "", code, shown)
            problem.message = problem_text(problem)
            self.problems.append(problem)

    def _to_numbers(self, column: str) -> np.ndarray:
        """The column as floats, reporting cells that are not numbers; writes back the floats."""
        series = self.frame[column]
        if pd.api.types.is_numeric_dtype(series.dtype):
            return series.to_numpy(dtype=float, na_value=np.nan)
        values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        wrong = np.isnan(values) & series.notna().to_numpy()
        self._report(wrong, column, "not_a_number", series.to_numpy())
        self.frame[column] = values
        return values

    def check_id(self) -> None:
        """Every row needs an applicant id: a whole number in the id range."""
        ids = self._to_numbers(ID_COLUMN)
        with np.errstate(invalid="ignore"):
            self._report(np.isnan(ids), ID_COLUMN, "id_missing")
            wrong = (ids != np.floor(ids)) | (ids < MIN_ID) | (ids > MAX_ID)
            self._report(~np.isnan(ids) & wrong, ID_COLUMN, "id_rule", low=MIN_ID, high=MAX_ID)

    def check_target(self) -> None:
        """Training rows need TARGET 0 or 1."""
        target = self._to_numbers(TARGET_COLUMN)
        self._report(~np.isin(target, (0.0, 1.0)), TARGET_COLUMN, "target_rule")

    def check_numeric(self) -> None:
        """Numbers must parse and respect their column's rule."""
        for column in NUMERIC_COLUMNS:
            values = self._to_numbers(column)
            rule = RULES[column]
            self._report(rule.invalid(values), column, "impossible", values, **rule.params())

    def check_categorical(self) -> None:
        """Text values must belong to the column's vocabulary (`_parse` puts it first)."""
        for column in CATEGORICAL_COLUMNS:
            series = self.frame[column]
            unknown = series.cat.codes.to_numpy() >= len(CATEGORIES[column])
            self._report(unknown, column, "unknown_value", series.to_numpy())


#: The English text of each problem code (the API's and the command line's words).
_TEXTS = {
    "not_a_number": "not a number: {value!r}",
    "id_missing": "applicant id is missing",
    "id_rule": ID_RULE_TEXT,
    "target_rule": "TARGET must be 0 or 1",
    "impossible": "{value:g} is impossible: expected {rule}",
    "unknown_value": "unknown value {value!r}",
    "expected_text": "expected text, got {kind}",
    "expected_number": "expected a number, got {kind}",
    "unknown_field": "unknown field",
}


def problem_text(problem: Problem) -> str:
    """A row problem's English message from its code and parameters."""
    params = dict(problem.params)
    if problem.code == "impossible":
        params["rule"] = Rule.of_params(params).describe()
    return _TEXTS[problem.code].format(**params)


def _plain(value: Any) -> Any:
    """A cell's value as JSON can hold it (numpy scalars as Python numbers)."""
    return value.item() if isinstance(value, np.generic) else value


def _problem(column: str, code: str, **params: Any) -> Problem:
    problem = Problem(None, column, "", code, params)
    problem.message = problem_text(problem)
    return problem


def validate_applicant(record: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Check one JSON-like applicant; returns the cleaned fields and the problems found."""
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in record.items():
        if value is None or value == "":
            continue
        if key == ID_COLUMN:
            is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
            if is_int and is_valid_id(int(value)):
                cleaned[key] = int(value)
            else:
                problems.append(_problem(key, "id_rule", low=MIN_ID, high=MAX_ID))
        elif key in _NUMERIC_SET:
            number, problem = _clean_number(key, value)
            if problem:
                problems.append(problem)
            else:
                cleaned[key] = number
        elif key in _CATEGORY_SETS:
            if not isinstance(value, str):
                problems.append(_problem(key, "expected_text", kind=type(value).__name__))
            elif value not in _CATEGORY_SETS[key]:
                problems.append(_problem(key, "unknown_value", value=value))
            else:
                cleaned[key] = value
        elif key != TARGET_COLUMN:
            problems.append(_problem(key, "unknown_field"))
    return cleaned, problems


def _clean_number(column: str, value: Any) -> tuple[float, Problem | None]:
    """A JSON number as float, or the problem that makes it unacceptable."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return math.nan, _problem(column, "expected_number", kind=type(value).__name__)
    number = float(value)
    rule = RULES[column]
    if math.isnan(number) or rule.invalid(np.array([number]))[0]:
        return math.nan, _problem(column, "impossible", value=number, **rule.params())
    return number, None
