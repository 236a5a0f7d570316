"""Model artifacts on disk: LightGBM's text model plus a JSON card, tied by sha256."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

MODEL_FILE = "model.txt"
CARD_FILE = "model_card.json"
REQUIRED_CARD_KEYS = ("version", "threshold", "features", "model_sha256", "metrics")


class ModelError(Exception):
    """A model directory that cannot be used (missing files, tampering, bad card)."""


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def save_artifacts(out_dir: Path, model_text: str, card: dict[str, Any]) -> dict[str, Any]:
    """Write model.txt and model_card.json (card gets the model's sha256); returns the card."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model_bytes = model_text.encode()
    card = {**card, "model_file": MODEL_FILE, "model_sha256": sha256_bytes(model_bytes)}
    _write_atomic(out_dir / MODEL_FILE, model_bytes)
    _write_atomic(out_dir / CARD_FILE, (json.dumps(card, indent=2) + "\n").encode())
    return card


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file so readers never see half a file."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def load_artifacts(model_dir: Path) -> tuple[str, dict[str, Any]]:
    """Read and check a model directory; returns (model text, card) or raises ModelError."""
    model_dir = Path(model_dir)
    card_path, model_path = model_dir / CARD_FILE, model_dir / MODEL_FILE
    for path in (card_path, model_path):
        if not path.is_file():
            raise ModelError(f"model directory {model_dir} has no {path.name}")
    try:
        card = json.loads(card_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{card_path} is not valid JSON: {exc}") from exc
    if not isinstance(card, dict):
        raise ModelError(f"{card_path} is not a JSON object")
    missing = [key for key in REQUIRED_CARD_KEYS if key not in card]
    if missing:
        raise ModelError(f"{card_path} lacks {', '.join(missing)}")
    model_bytes = model_path.read_bytes()
    if sha256_bytes(model_bytes) != card["model_sha256"]:
        raise ModelError(
            f"{model_path} does not match the sha256 in {CARD_FILE}: "
            "the model file was changed or replaced; refusing to load it"
        )
    return model_bytes.decode(), card
