"""The `data synth`, `train` and `score` commands, through the real entry point."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from credit_app.cli import main
from credit_app.ml import synth


def test_synth_is_reproducible(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        assert (
            main(["data", "synth", "--rows", "200", "--seed", "9", "--out", str(tmp_path / name)])
            == 0
        )
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert len(pd.read_csv(tmp_path / "a.csv")) == 200


def test_train_writes_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "train.csv"
    synth.write_csv(synth.generate(800, seed=2), data)
    out = tmp_path / "model"
    code = main(["train", "--data", str(data), "--out", str(out), "--folds", "2", "--cost-fn", "5"])
    assert code == 0
    assert (out / "model.txt").is_file() and (out / "model_card.json").is_file()
    captured = capsys.readouterr()
    assert "AUC" in captured.out and "fold 2/2" in captured.err


def test_score_reports_bad_rows_and_scores_the_rest(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = synth.generate(50, seed=21).drop(columns="TARGET").astype(object)
    frame.loc[4, "AMT_CREDIT"] = "unknown"  # file line 6
    frame.loc[10, "DAYS_BIRTH"] = 400  # line 12
    data, out = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(data, index=False)
    assert main(["score", "--model", str(model_dir), "--data", str(data), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "line 6, AMT_CREDIT: not a number: 'unknown'" in err
    assert "line 12, DAYS_BIRTH" in err
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 48
    assert set(rows[0]) == {"SK_ID_CURR", "probability", "decision"}
    assert {row["decision"] for row in rows} <= {"approve", "refuse"}
    skipped = {int(frame.loc[4, "SK_ID_CURR"]), int(frame.loc[10, "SK_ID_CURR"])}
    assert not skipped & {int(row["SK_ID_CURR"]) for row in rows}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02garbage" * 10, "binary"),
        (b"SK_ID_CURR;TARGET\n1;0\n", "semicolons"),
        (",".join(synth.generate(1, seed=0).columns).encode() + b"\n", "no data rows"),
    ],
)
def test_malformed_files_give_one_clear_line(
    model_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
) -> None:
    data = tmp_path / "in.csv"
    data.write_bytes(content)
    code = main(
        ["score", "--model", str(model_dir), "--data", str(data), "--out", str(tmp_path / "o.csv")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("credit-app: error:")


def test_bad_model_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "in.csv"
    synth.write_csv(synth.generate(5, seed=0), data)
    code = main(
        [
            "score",
            "--model",
            str(tmp_path / "none"),
            "--data",
            str(data),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 2
    assert "has no model_card.json" in capsys.readouterr().err
