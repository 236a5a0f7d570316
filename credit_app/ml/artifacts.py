"""Model artifacts on disk: LightGBM's text model plus a JSON card, tied by sha256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pydantic import ValidationError

from credit_app.ml.card import ModelCard

MODEL_FILE = "model.txt"
CARD_FILE = "model_card.json"


class ModelError(Exception):
    """A model directory that cannot be used (missing files, tampering, bad card)."""


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def save_artifacts(out_dir: Path, model_text: str, card: ModelCard) -> None:
    """Write model.txt and model_card.json; the card must carry the model text's sha256."""
    model_bytes = model_text.encode()
    if card.model_sha256 != sha256_bytes(model_bytes):
        raise ValueError("the card's model_sha256 is not the sha256 of this model")
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(out_dir / MODEL_FILE, model_bytes)
    _write_atomic(out_dir / CARD_FILE, (card.model_dump_json(indent=2) + "\n").encode())


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file so readers never see half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def read_card(card_path: Path) -> ModelCard:
    """Parse and validate a card file; a bad one raises ModelError naming the first bad field."""
    try:
        # Strict: a threshold written as "0.5" or true is a damaged card, not a number.
        return ModelCard.model_validate_json(card_path.read_bytes(), strict=True)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        more = exc.error_count() - 1
        raise ModelError(
            f"{card_path} is not a valid model card: {where + ': ' if where else ''}"
            f"{first['msg']}{f' (and {more} more errors)' if more else ''}"
        ) from None


def load_artifacts(model_dir: Path) -> tuple[str, ModelCard]:
    """Read and check a model directory; returns (model text, card) or raises ModelError."""
    model_dir = Path(model_dir)
    card_path, model_path = model_dir / CARD_FILE, model_dir / MODEL_FILE
    for path in (card_path, model_path):
        if not path.is_file():
            raise ModelError(f"model directory {model_dir} has no {path.name}")
    card = read_card(card_path)
    model_bytes = model_path.read_bytes()
    if sha256_bytes(model_bytes) != card.model_sha256:
        raise ModelError(
            f"{model_path} does not match the sha256 in {CARD_FILE}: "
            "the model file was changed or replaced; refusing to load it"
        )
    return model_bytes.decode(), card
