"""Tiny synthetic data and a tiny model, built once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from credit_app.ml import synth
from credit_app.ml.model import CreditModel
from credit_app.ml.train import train_model

REPO_ROOT = Path(__file__).resolve().parents[3]
FAST_PARAMS = {"num_boost_round": 60, "num_threads": 1}


def real_sample_path() -> Path:
    """Where the real Home Credit sample lives (CREDIT_APP_SAMPLE_DATA overrides)."""
    default = REPO_ROOT / ".." / "shared" / "data" / "home_credit_sample.csv"
    return Path(os.environ.get("CREDIT_APP_SAMPLE_DATA", default))


@pytest.fixture(scope="session")
def real_sample() -> Path:
    """Path of the real sample, read in place; skips when it is not beside the repo."""
    path = real_sample_path()
    if not path.is_file():
        pytest.skip(f"real Home Credit sample not found at {path}")
    return path


@pytest.fixture(scope="session")
def synthetic_frame() -> pd.DataFrame:
    """3,000 synthetic applications."""
    return synth.generate(3000, seed=11)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory, synthetic_frame: pd.DataFrame) -> Path:
    """A small model trained on the synthetic frame (3 folds, 60 trees)."""
    out = tmp_path_factory.mktemp("model")
    train_model(synthetic_frame, out, folds=3, params=FAST_PARAMS, data_sha256="0" * 64)
    return out


@pytest.fixture(scope="session")
def model(model_dir: Path) -> CreditModel:
    """The small model, loaded."""
    return CreditModel.load(model_dir)


@pytest.fixture
def model_copy(model_dir: Path, tmp_path: Path) -> Path:
    """A copy of the small model's directory, for a test to damage."""
    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    return target


def as_record(row: pd.Series) -> dict:
    """A frame row as the JSON-like dict an API would pass (missing values left out)."""
    return {key: value for key, value in row.to_dict().items() if not pd.isna(value)}
