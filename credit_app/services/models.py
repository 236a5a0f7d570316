"""The scoring model of one process, loaded from the model directory and reloaded when the
files there change, so that a new model reaches every worker without a restart."""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from credit_app.ml.artifacts import CARD_FILE, MODEL_FILE
from credit_app.ml.model import CreditModel, ModelError
from credit_app.services.errors import Unavailable

log = logging.getLogger(__name__)

#: How often a worker looks at the model files: two stat() calls (a few microseconds), so a
#: new model is served by every worker within this many seconds of being written.
CHECK_EVERY_SECONDS = 2.0

#: What identifies one version of a file on disk: (inode, size, modification time in ns).
#: `save_artifacts` replaces files by rename, so a new model always has a new inode.
FileStamp = tuple[int, int, int] | None


class ModelUnavailable(Unavailable):
    code = "model_unavailable"


class ModelStore:
    """The model in memory; at most every `check_every` seconds, `get` compares the files'
    stamps with those it loaded and reloads on a change. A missing or broken model (its sha256
    no longer the card's) is reported with the reason, never served."""

    def __init__(
        self,
        model_dir: Path,
        *,
        check_every: float = CHECK_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.model_dir = Path(model_dir)
        self._check_every = check_every
        self._clock = clock
        self._model: CreditModel | None = None
        self._problem = ""
        self._stamps: tuple[FileStamp, FileStamp] | None = None
        self._next_check = -math.inf
        self._lock = threading.Lock()

    def get(self) -> CreditModel:
        if self._clock() >= self._next_check or not self._looked:
            self._refresh()
        model = self._model
        if model is None:
            raise ModelUnavailable(self._problem)
        return model

    @property
    def loaded_version(self) -> str | None:
        """The version of the model in memory, without loading one."""
        return self._model.version if self._model is not None else None

    @property
    def _looked(self) -> bool:
        """A model, or the reason there is none: false only before the first load ends."""
        return self._model is not None or bool(self._problem)

    def _refresh(self) -> None:
        with self._lock:
            now = self._clock()
            if now < self._next_check and self._looked:
                return  # another thread has just looked (or loaded the first model)
            self._next_check = now + self._check_every
            stamps = (self._stamp(CARD_FILE), self._stamp(MODEL_FILE))
            if stamps == self._stamps:
                return
            # A failed load keeps its stamps: the files are read again only once they change
            # (training writes model.txt, then the card, each by rename).
            self._stamps = stamps
            try:
                self._model, self._problem = self._load(), ""
            except ModelUnavailable as exc:
                self._model, self._problem = None, str(exc)
                log.warning("worker %d: %s", os.getpid(), exc)
                return
            # Warning level, so that every worker's log says which model it serves from when.
            log.warning(
                "worker %d: serving model %s from %s",
                os.getpid(),
                self._model.version,
                self.model_dir,
            )

    def _stamp(self, name: str) -> FileStamp:
        try:
            status = (self.model_dir / name).stat()
        except OSError:
            return None
        return (status.st_ino, status.st_size, status.st_mtime_ns)

    def _load(self) -> CreditModel:
        if not (self.model_dir / CARD_FILE).exists():
            raise ModelUnavailable(
                f"no model in {self.model_dir}: train one with `credit-app train` "
                "or run `credit-app demo prepare`"
            )
        try:
            return CreditModel.load(self.model_dir)
        except ModelError as exc:
            raise ModelUnavailable(f"the model in {self.model_dir} cannot be used: {exc}") from None
