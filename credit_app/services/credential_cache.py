"""The actors of recently verified API keys and token users, kept briefly in each process.

Looking the key up in the database on every request took about a quarter of the scoring
route's busy time under load (docs/benchmarks.md, "Scoring API throughput"). An entry
lives `ttl` seconds from its verification, so a revoked key, a deactivated user or a
changed role is refused by every worker within that time; failed verifications are not
kept (each one goes to the database)."""

from __future__ import annotations

import time
from collections.abc import Callable

from credit_app.services.actors import Actor

#: How long a verified credential is trusted without asking the database again.
TTL_SECONDS = 2.0
#: Entries kept at most; beyond, the cache starts again empty (keys are few in practice).
MAX_ENTRIES = 10_000


class CredentialCache:
    """Actor by credential (an API key's digest, a token's user), each for `ttl` seconds."""

    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        *,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, Actor]] = {}

    def get(self, credential: str) -> Actor | None:
        """The actor verified for `credential` less than `ttl` seconds ago, if any."""
        entry = self._entries.get(credential)
        if entry is None:
            return None
        expires, actor = entry
        if self._clock() >= expires:
            self._entries.pop(credential, None)
            return None
        return actor

    def put(self, credential: str, actor: Actor) -> None:
        """Remember a credential just verified in the database."""
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[credential] = (self._clock() + self.ttl, actor)
