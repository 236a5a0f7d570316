"""Whether Redis, where Reflex keeps the pages' state when several workers share it, answers.

The API routes do not use Redis: they keep serving while it is away; the pages do not.
`/api/v1/ready` asks here so that it says so, within a second rather than hanging."""

from __future__ import annotations

from redis import Redis
from redis.exceptions import RedisError

#: A ping that takes longer than this counts as no answer (a healthy one takes < 1 ms).
PING_TIMEOUT_SECONDS = 1.0


class StateStore:
    """The Redis of `url` (None: state kept in the one worker's memory, nothing to ask)."""

    def __init__(self, url: str | None) -> None:
        self._client = (
            None
            if url is None
            else Redis.from_url(
                url,
                socket_connect_timeout=PING_TIMEOUT_SECONDS,
                socket_timeout=PING_TIMEOUT_SECONDS,
            )
        )

    def problem(self) -> str | None:
        """Why the pages' state cannot be reached now, or None when it can."""
        if self._client is None:
            return None
        try:
            self._client.ping()
        except RedisError as exc:
            return f"Redis, which holds the pages' state, does not answer: {exc}"
        return None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
