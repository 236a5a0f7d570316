"""Scoring load on a served app: many `POST /api/v1/clients/{id}/score` at once, each
answer kept (status, error code, prediction id, how long it took)."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

CONCURRENCY = 32


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (connection refused or cut)
    code: str | None  # the error's code, for a failure
    prediction_id: str | None
    seconds: float
    sent_at: float  # time.monotonic() when sent

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Load:
    """Sends `total` scores over `client_ids` in turn from `concurrency` tasks; in a thread
    of its own with `start()`, stoppable with `stop()` or when the server stops answering
    (`stop_on_refusal`)."""

    base_url: str
    key: str
    client_ids: Sequence[int]
    total: int
    concurrency: int = CONCURRENCY
    stop_on_refusal: bool = False
    answers: list[Answer] = field(default_factory=list)
    _stopped: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def run(self) -> list[Answer]:
        """Send them all and return the answers (in a thread of its own, as `start`: the
        browser tests leave an event loop running in the main thread)."""
        return self.start().join()

    def start(self) -> Load:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> list[Answer]:
        self._stopped.set()
        return self.join()

    def join(self) -> list[Answer]:
        if self._thread is not None:
            self._thread.join(timeout=300)
        return self.answers

    def wait_for(self, answers: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.answers) < answers and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.answers) >= answers, f"only {len(self.answers)} answers in {timeout}s"

    async def _run(self) -> None:
        numbers = itertools.count()
        limits = httpx.Limits(max_connections=self.concurrency)
        headers = {"X-API-Key": self.key}
        async with httpx.AsyncClient(
            base_url=self.base_url, headers=headers, limits=limits, timeout=30
        ) as client:
            await asyncio.gather(*(self._worker(client, numbers) for _ in range(self.concurrency)))

    async def _worker(self, client: httpx.AsyncClient, numbers: itertools.count) -> None:
        while not self._stopped.is_set():
            n = next(numbers)
            if n >= self.total:
                return
            sk_id = self.client_ids[n % len(self.client_ids)]
            sent_at = time.monotonic()
            try:
                response = await client.post(f"/api/v1/clients/{sk_id}/score")
            except httpx.TransportError:
                self.answers.append(Answer(None, None, None, time.monotonic() - sent_at, sent_at))
                if self.stop_on_refusal:
                    return
                await asyncio.sleep(0.05)
                continue
            try:
                body = response.json()
            except ValueError:  # not the API's JSON: kept by its status alone
                body = {}
            error = body.get("error") or {}
            self.answers.append(
                Answer(
                    response.status_code,
                    error.get("code"),
                    body.get("prediction_id"),
                    time.monotonic() - sent_at,
                    sent_at,
                )
            )
