"""The scoring model, loaded once per process from the model directory."""

from __future__ import annotations

import threading
from pathlib import Path

from credit_app.ml.model import CreditModel, ModelError
from credit_app.services.errors import Unavailable


class ModelUnavailable(Unavailable):
    code = "model_unavailable"


class ModelStore:
    """Loads the model on first use (and after `reload`); a broken one is reported, not served."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = Path(model_dir)
        self._model: CreditModel | None = None
        self._lock = threading.Lock()

    def get(self) -> CreditModel:
        model = self._model
        if model is not None:
            return model
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    @property
    def loaded_version(self) -> str | None:
        """The version of the model in memory, without loading one."""
        return self._model.version if self._model is not None else None

    def reload(self) -> CreditModel:
        with self._lock:
            self._model = self._load()
            return self._model

    def _load(self) -> CreditModel:
        if not (self.model_dir / "model_card.json").exists():
            raise ModelUnavailable(
                f"no model in {self.model_dir}: train one with `credit-app train` "
                "or run `credit-app demo prepare`"
            )
        try:
            return CreditModel.load(self.model_dir)
        except ModelError as exc:
            raise ModelUnavailable(f"the model in {self.model_dir} cannot be used: {exc}") from None
