"""The model card as shown to people and callers."""

from __future__ import annotations

from typing import Any

from credit_app.services.actors import Actor, Permission
from credit_app.services.models import ModelStore

# Bulky monitoring references stay on the server; the card names what they hold.
INTERNAL_SECTIONS = ("reference",)


def public_card(actor: Actor, models: ModelStore) -> dict[str, Any]:
    actor.require(Permission.view_model)
    card = models.get().card
    return {key: value for key, value in card.items() if key not in INTERNAL_SECTIONS}


def feature_references(actor: Actor, models: ModelStore) -> dict[str, Any]:
    """The training population's distribution of each feature, for officers' charts."""
    actor.require(Permission.view_clients)
    return dict(models.get().card.get("reference", {}).get("features", {}))
