"""The model card as shown to people and callers: the one way to read it.

Use cases like every other, `(session, actor, ...)`: the card lives in the model store,
not the database, so the session goes unused (the model registry will need it)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from credit_app.ml.card import FeatureReference, PublicCard
from credit_app.services.actors import Actor, Permission
from credit_app.services.models import ModelStore

__all__ = ["FeatureReference", "PublicCard", "feature_references", "public_card"]


def public_card(session: Session, actor: Actor, models: ModelStore) -> PublicCard:
    """The card of the model in service, without its bulky reference distributions."""
    actor.require(Permission.view_model)
    return models.get().card.public()


def feature_references(
    session: Session, actor: Actor, models: ModelStore, features: Iterable[str]
) -> dict[str, FeatureReference]:
    """The training population of each named feature the model has, in the order asked."""
    # The outer edges are real applicants' extreme values: only for those who may see clients.
    actor.require(Permission.view_clients)
    references = models.get().card.reference.features
    return {name: references[name] for name in features if name in references}
