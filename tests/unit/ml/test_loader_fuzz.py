"""Damaged files of every kind get a DataFileError or load what is good, never a traceback.

Seeded mutations of a small synthetic file, a quarter of them in the header: quotes,
separators, line breaks and bytes inserted, stretches deleted, the file cut short, cells
overwritten. Each file is loaded in
one piece and in parts (the path that big files take).
"""

from __future__ import annotations

import io
import random

import pytest

from credit_app.ml import loader, synth
from credit_app.ml.loader import DataFileError, load_applications

INSERTS = [b'"', b",", b"\n", b"\r", b'""', b"\x00", b"\xff", b"True", b"nan", b"-", b"1e999", b" "]


def _damaged(base: bytes, rng: random.Random) -> bytes:
    data = bytearray(base)
    header_end = base.index(b"\n")
    for _ in range(rng.randint(1, 6)):
        in_header = rng.random() < 0.25  # a quarter of the damage goes to the header
        position = rng.randrange(max(header_end if in_header else len(data), 1))
        kind = rng.randrange(6)
        if kind == 0:
            data[position:position] = rng.choice(INSERTS)
        elif kind == 1:
            del data[position : position + rng.randint(1, 50)]
        elif kind == 2:
            del data[position:]
        elif kind == 3 and position < len(data):
            data[position] = rng.randrange(256)
        elif kind == 4:
            data[position:position] = bytes(rng.randrange(32, 127) for _ in range(20))
        else:
            data = data.replace(b",", b";", 1)
    return bytes(data)


@pytest.mark.parametrize("in_parts", [False, True])
def test_damaged_files_never_raise_anything_else(
    in_parts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if in_parts:
        monkeypatch.setattr(loader, "_PARSE_PART_BYTES", 3000)
    base = synth.generate(60, seed=9).to_csv(index=False).encode()
    rng = random.Random(20261124 + in_parts)
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(400):
        try:
            result = load_applications(io.BytesIO(_damaged(base, rng)), require_target=True)
        except DataFileError as error:
            assert str(error) and error.problems
            outcomes["refused"] += 1
        else:
            assert len(result.frame) == len(result.lines) <= 60
            assert list(result.frame.columns[:2]) == ["SK_ID_CURR", "TARGET"]
            outcomes["loaded"] += 1
    assert outcomes["loaded"] > 20 and outcomes["refused"] > 20  # both kinds were exercised


def test_spaces_and_quotes_around_header_names() -> None:
    frame = synth.generate(5, seed=9)
    names = [f" {name}" if i % 3 == 0 else f'"{name}"' for i, name in enumerate(frame.columns)]
    content = ",".join(names) + "\n" + frame.to_csv(index=False, header=False)
    result = load_applications(io.BytesIO(content.encode()), require_target=True)
    assert result.problems == [] and len(result.frame) == 5
    assert result.frame.columns.tolist() == frame.columns.tolist()
