"""The synthetic generator: format, determinism, realistic marginals, learnable signal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from credit_app.ml import synth
from credit_app.ml.loader import load_applications
from credit_app.ml.schema import ALL_COLUMNS, DAYS_EMPLOYED_NOT_EMPLOYED


def test_columns_match_the_real_sample(real_sample: Path) -> None:
    real_header = pd.read_csv(real_sample, nrows=0).columns.tolist()
    assert synth.generate(50, seed=1).columns.tolist() == real_header


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    synth.write_csv(synth.generate(500, seed=5), first)
    synth.write_csv(synth.generate(500, seed=5), second)
    synth.write_csv(synth.generate(500, seed=6), other)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_output_loads_without_problems(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.csv"
    synth.write_csv(synth.generate(2000, seed=3), path)
    result = load_applications(path, require_target=True)
    assert result.problems == []
    assert len(result.frame) == 2000
    assert path.read_text().splitlines()[0] == ",".join(ALL_COLUMNS)


def test_realistic_marginals() -> None:
    frame = synth.generate(20_000, seed=2)
    assert 0.07 <= frame["TARGET"].mean() <= 0.09
    assert 0.52 <= frame["EXT_SOURCE_1"].isna().mean() <= 0.60
    assert 0.15 <= frame["EXT_SOURCE_3"].isna().mean() <= 0.25
    assert 0.45 <= frame["APARTMENTS_AVG"].isna().mean() <= 0.55
    assert 0.65 <= frame["COMMONAREA_AVG"].isna().mean() <= 0.75
    pensioners = frame["NAME_INCOME_TYPE"] == "Pensioner"
    assert 0.12 <= pensioners.mean() <= 0.22
    not_employed = frame["DAYS_EMPLOYED"] == DAYS_EMPLOYED_NOT_EMPLOYED
    assert (not_employed[pensioners]).all()
    assert (frame.loc[not_employed, "ORGANIZATION_TYPE"] == "XNA").all()
    assert (frame["CODE_GENDER"] == "XNA").mean() < 0.002
    assert frame["DAYS_BIRTH"].between(-25_500, -7_600).all()
    assert (frame["AMT_INCOME_TOTAL"] > 0).all()


def test_learnable_within_the_band(model) -> None:
    assert 0.70 <= model.card.metrics.auc <= 0.82
