"""The model store: a new model on disk reaches the process without a restart, and a
missing or altered model is reported with its reason, never served."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from credit_app.services.models import ModelStore, ModelUnavailable
from tests.model_versions import publish_as, tamper


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def live_dir(tmp_path: Path, model_dir: Path) -> Path:
    directory = tmp_path / "model"
    shutil.copytree(model_dir, directory)
    return directory


def test_a_new_model_is_served_after_the_next_check(live_dir: Path, model_dir: Path) -> None:
    clock = Clock()
    store = ModelStore(live_dir, check_every=2.0, clock=clock)
    first = store.get()
    publish_as(model_dir, live_dir, "v-next")
    clock.now = 1.9
    assert store.get() is first  # not looked at again yet
    clock.now = 2.0
    assert store.get().version == "v-next"
    assert store.loaded_version == "v-next"
    clock.now = 4.5
    assert store.get() is store.get()  # unchanged files: the same model, not read again


def test_an_altered_model_file_is_refused_with_the_reason(live_dir: Path, model_dir: Path) -> None:
    clock = Clock()
    store = ModelStore(live_dir, check_every=2.0, clock=clock)
    store.get()
    tamper(live_dir)
    clock.now = 2.0
    with pytest.raises(ModelUnavailable, match=r"does not match the sha256 in model_card\.json"):
        store.get()
    publish_as(model_dir, live_dir, "v-fixed")
    clock.now = 4.0
    assert store.get().version == "v-fixed"


def test_a_missing_model_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"no model in .*credit-app train"):
        ModelStore(tmp_path / "nowhere").get()
