"""Model directories changed on disk the way an operator changes them: a new version
written by `save_artifacts`, or a model file altered after training."""

from __future__ import annotations

from pathlib import Path

from credit_app.ml.artifacts import MODEL_FILE, load_artifacts, save_artifacts


def publish_as(source: Path, target: Path, version: str) -> None:
    """Write `source`'s model into `target` as a new model named `version` (both files
    replaced by rename, as training does)."""
    model_text, card = load_artifacts(source)
    save_artifacts(target, model_text, card.model_copy(update={"version": version}))


def tamper(model_dir: Path) -> None:
    """Change one threshold in the model text, so that its sha256 is no longer the card's."""
    path = model_dir / MODEL_FILE
    text = path.read_text()
    at = text.index("threshold=") + len("threshold=")
    path.write_text(text[:at] + "0" + text[at:])
