"""Large CSV files in parts, so that a page can score them part by part and show progress."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FilePart:
    """Some rows of a file under its header; `offset` turns a part's line into the file's."""

    offset: int
    content: bytes
    rows: int


def split_csv(content: bytes, rows_per_part: int) -> list[FilePart]:
    """The file's data lines in parts of at most `rows_per_part`, each under the header line.

    Home Credit files hold one record per line; a quoted value spanning lines would be cut.
    """
    if rows_per_part < 1:
        raise ValueError("rows_per_part must be at least 1")
    lines = content.splitlines(keepends=True)
    if len(lines) < 2:
        return [FilePart(0, content, max(len(lines) - 1, 0))]
    header, body = lines[0], lines[1:]
    return [
        FilePart(
            start,
            header + b"".join(body[start : start + rows_per_part]),
            len(body[start : start + rows_per_part]),
        )
        for start in range(0, len(body), rows_per_part)
    ]
