"""The model card: written by training, validated on load, the old file format still read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from credit_app.ml.artifacts import CARD_FILE, read_card
from credit_app.ml.card import CategoricalReference, ModelCard, NumericReference
from credit_app.ml.model import CreditModel, ModelError

# The card as train.py wrote it before the card was typed: key order and all.
LEGACY_ORDER = (
    "card_schema",
    "version",
    "created_at",
    "threshold",
    "decision_rule",
    "costs",
    "metrics",
    "data",
    "features",
    "categorical_features",
    "params",
    "libraries",
    "importance",
    "reference",
    "training_seconds",
    "model_file",
    "model_sha256",
)


def _stored(model_dir: Path) -> dict[str, Any]:
    return json.loads((model_dir / CARD_FILE).read_text())


def test_card_round_trips(model_dir: Path, model: CreditModel) -> None:
    card = model.card
    assert read_card(model_dir / CARD_FILE) == card
    assert ModelCard.model_validate_json(card.model_dump_json(), strict=True) == card
    stored = _stored(model_dir)
    assert json.loads(card.model_dump_json()) == stored
    assert set(stored) == set(LEGACY_ORDER)
    assert stored["created_at"].endswith("+00:00")
    assert isinstance(card.reference.features["AMT_INCOME_TOTAL"], NumericReference)
    assert isinstance(card.reference.features["CODE_GENDER"], CategoricalReference)


def test_a_card_in_the_old_layout_loads(model_dir: Path, model_copy: Path) -> None:
    stored = _stored(model_dir)
    legacy = {key: stored[key] for key in LEGACY_ORDER}
    (model_copy / CARD_FILE).write_text(json.dumps(legacy, indent=2) + "\n")
    assert CreditModel.load(model_copy).card == CreditModel.load(model_dir).card


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set a dotted path of the card to value (None deletes it)."""

    def change(card: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            card = card[key]
        if value is None:
            del card[last]
        else:
            card[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("threshold", "0.5"), "threshold: Input should be a valid number"),
        (_set("threshold", True), "threshold: Input should be a valid number"),
        (_set("threshold", 1.5), "threshold: Input should be less than or equal to 1"),
        (_set("card_schema", 2), "card_schema: Input should be 1"),
        (_set("created_at", "2026-01-01T00:00:00"), "created_at: Input should have timezone info"),
        (_set("metrics.auc", None), "metrics.auc: Field required"),
        (_set("costs.fn", -1), "costs.fn: Input should be greater than 0"),
        (_set("owner", "me"), "owner: Extra inputs are not permitted"),
        (_set("importance.NOT_A_FEATURE", 0.1), "importance must rank exactly"),
        (
            _set("reference.features.AMT_INCOME_TOTAL.proportions", [1.0]),
            "reference.features.AMT_INCOME_TOTAL.numeric: Value error, needs one proportion",
        ),
        (
            _set("reference.features.CODE_GENDER.kind", "text"),
            "reference.features.CODE_GENDER: Input tag 'text' found using 'kind'",
        ),
        (_set("reference.features.EXT_SOURCE_1", None), "reference.features must describe"),
    ],
)
def test_an_invalid_card_names_the_field(
    model_dir: Path, model_copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    card = _stored(model_dir)
    change(card)
    (model_copy / CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="is not a valid model card: ") as raised:
        CreditModel.load(model_copy)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_the_public_view_leaves_out_the_reference(model: CreditModel) -> None:
    public = model.card.public()
    assert "reference" not in type(public).model_fields
    assert public.model_dump() == model.card.model_dump(exclude={"reference"})
    assert public.metrics is model.card.metrics
