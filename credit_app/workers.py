"""The worker processes of `credit-app serve`, as Reflex starts them with Granian."""

from __future__ import annotations

from typing import Any

#: Seconds a worker has to finish its requests on SIGTERM before Granian kills it; under the
#: 30 s grace period docker-compose.yml gives a replica.
STOP_SECONDS = 20


def respawn_dead_workers() -> None:
    """Make Granian start a new worker when one dies, instead of stopping the whole server.

    Granian only respawns with `respawn_failed_workers=True`; Reflex 0.10.1 builds its server
    without it (reflex/utils/exec.py, run_granian_backend_prod), so one worker killed (by the
    kernel's OOM killer, say) took every other worker down with it. Reflex imports
    `granian.server.Server` when it starts serving: rxconfig.py calls this before that."""
    import granian.server

    server = granian.server.Server
    if getattr(server, "respawns_dead_workers", False):
        return

    class RespawningServer(server):  # type: ignore[misc,valid-type]
        respawns_dead_workers = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            # Without a limit Granian waits forever for a worker to stop. Seen once here: a
            # served app whose worker had died and been replaced was still up minutes after
            # SIGTERM (not reproduced since, cause unknown); the limit bounds any such stop.
            kwargs.setdefault("workers_kill_timeout", STOP_SECONDS)
            super().__init__(*args, **kwargs)

        def _respawn_workers(self, *args: Any, **kwargs: Any) -> None:
            # Ctrl-C or a SIGTERM to the process group reaches the workers too, and one may
            # exit before the supervisor has handled its own signal; Granian's loop would then
            # respawn it and clear its wake-up event after the signal had set it (read in
            # granian/server/common.py, _serve_loop). Stopping wins over respawning.
            if self.interrupt_signal:
                self.main_loop_interrupt.set()
                return
            super()._respawn_workers(*args, **kwargs)

    granian.server.Server = RespawningServer


#: Seconds a worker waits to connect to Redis: without a limit, a Redis host that vanished
#: without resetting connections would hold page events for Linux's connect timeout (~2 min).
REDIS_CONNECT_TIMEOUT_SECONDS = 2


def state_store_url(url: str | None) -> str | None:
    """CREDIT_APP_REDIS_URL as Reflex should use it: with a connect timeout unless it has one."""
    if url is None or "socket_connect_timeout=" in url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}socket_connect_timeout={REDIS_CONNECT_TIMEOUT_SECONDS}"
