"""The worker processes of `credit-app serve`, as Reflex starts them with Granian."""

from __future__ import annotations

from typing import Any


def respawn_dead_workers() -> None:
    """Make Granian start a new worker when one dies, instead of stopping the whole server.

    Granian only respawns with `respawn_failed_workers=True`; Reflex 0.10.1 builds its server
    without it (reflex/utils/exec.py, run_granian_backend_prod), so one worker killed by the
    kernel's OOM killer took every other worker down with it. Reflex imports
    `granian.server.Server` when it starts serving: rxconfig.py calls this before that."""
    import granian.server

    server = granian.server.Server
    if getattr(server, "respawns_dead_workers", False):
        return

    class RespawningServer(server):  # type: ignore[misc,valid-type]
        respawns_dead_workers = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            super().__init__(*args, **kwargs)

    granian.server.Server = RespawningServer


#: Seconds a worker waits to connect to Redis: without a limit, a Redis host that went away
#: without resetting connections held every page event for the kernel's TCP timeout (minutes).
REDIS_CONNECT_TIMEOUT_SECONDS = 2


def state_store_url(url: str | None) -> str | None:
    """CREDIT_APP_REDIS_URL as Reflex should use it: with a connect timeout unless it has one."""
    if url is None or "socket_connect_timeout=" in url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout={REDIS_CONNECT_TIMEOUT_SECONDS}"
