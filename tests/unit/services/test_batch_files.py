"""Splitting a CSV file into parts keeps the header and the file's line numbers."""

from __future__ import annotations

import pytest

from credit_app.services.batch_files import split_csv

FILE = b"SK_ID_CURR,AMT_CREDIT\n1,10\n2,20\n3,30\n4,40\n5,50\n"


def test_parts_carry_the_header_and_at_most_n_rows() -> None:
    parts = split_csv(FILE, 2)
    assert [p.rows for p in parts] == [2, 2, 1]
    assert all(p.content.startswith(b"SK_ID_CURR,AMT_CREDIT\n") for p in parts)
    assert parts[1].content == b"SK_ID_CURR,AMT_CREDIT\n3,30\n4,40\n"


def test_offset_maps_a_part_line_to_the_file_line() -> None:
    part = split_csv(FILE, 2)[2]
    # Line 2 of the part is its first data line, "5,50": line 6 of the file.
    assert part.offset + 2 == 6
    assert part.content.splitlines()[1] == b"5,50"


def test_joined_parts_give_back_every_row() -> None:
    rows = [line for p in split_csv(FILE, 3) for line in p.content.splitlines()[1:]]
    assert rows == FILE.splitlines()[1:]


@pytest.mark.parametrize("content", [b"", b"SK_ID_CURR,AMT_CREDIT\n", b"SK_ID_CURR"])
def test_a_file_without_rows_is_one_part(content: bytes) -> None:
    (part,) = split_csv(content, 10)
    assert (part.offset, part.content, part.rows) == (0, content, 0)


def test_windows_line_breaks_are_kept() -> None:
    (part,) = split_csv(b"A,B\r\n1,2", 5)
    assert (part.content, part.rows) == (b"A,B\r\n1,2", 1)


def test_rows_per_part_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_csv(FILE, 0)
