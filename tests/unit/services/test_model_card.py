"""Reading the model card through its service: the public view and the feature references."""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_app.domain import ActorKind, Role
from credit_app.ml.card import CategoricalReference, NumericReference
from credit_app.services import model_card
from credit_app.services.actors import GRANTS, Actor, Permission
from credit_app.services.errors import PermissionDenied
from credit_app.services.models import ModelStore


def _actor(role: Role) -> Actor:
    return Actor(kind=ActorKind.user, id=1, name=f"{role}-user", role=role)


@pytest.fixture(scope="module")
def models(model_dir: Path) -> ModelStore:
    return ModelStore(model_dir)


def test_public_card_hides_the_reference(models: ModelStore) -> None:
    card = model_card.public_card(None, _actor(Role.analyst), models)
    assert card.version == models.get().version
    assert "reference" not in card.model_dump()


def test_public_card_needs_view_model(models: ModelStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(GRANTS, Role.analyst, GRANTS[Role.analyst] - {Permission.view_model})
    with pytest.raises(PermissionDenied, match="view model"):
        model_card.public_card(None, _actor(Role.analyst), models)


def test_feature_references_for_officers(models: ModelStore) -> None:
    asked = ["EXT_SOURCE_2", "NOT_A_FEATURE", "CODE_GENDER"]
    references = model_card.feature_references(None, _actor(Role.officer), models, asked)
    assert list(references) == ["EXT_SOURCE_2", "CODE_GENDER"]
    assert isinstance(references["EXT_SOURCE_2"], NumericReference)
    assert isinstance(references["CODE_GENDER"], CategoricalReference)
    assert set(references["CODE_GENDER"].frequencies) <= {"F", "M", "XNA"}


def test_feature_references_refuse_analysts(models: ModelStore) -> None:
    with pytest.raises(PermissionDenied, match="view clients"):
        model_card.feature_references(None, _actor(Role.analyst), models, ["EXT_SOURCE_2"])
