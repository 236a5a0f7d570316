"""Work each app worker does on its own, besides answering requests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from credit_app.services.actors import system_actor
from credit_app.services.container import close_current_services, current_services
from credit_app.services.errors import ServiceError
from credit_app.services.monitoring_rollups import build_rollups

log = logging.getLogger(__name__)
ROLLUPS = system_actor("rollups")
#: Hours close once an hour; a minute's delay keeps the monitoring pages' raw reads short.
ROLLUP_EVERY_SECONDS = 60.0


async def roll_up_log() -> None:
    """Roll up the closed hours of the prediction log (activity and drift), in a worker
    thread, every minute.

    Every worker runs it; rollups are unique per hour, so the first writes and the others
    find nothing left to do. A missing model or database is tried again next time."""
    while True:
        services = current_services()
        try:
            await asyncio.to_thread(services.call, build_rollups, ROLLUPS, services.models)
        except ServiceError as error:
            log.info("log rollups skipped: %s", error)
        except Exception:  # the database is away: the loop must outlive it
            log.exception("log rollups failed; trying again in a minute")
        await asyncio.sleep(ROLLUP_EVERY_SECONDS)


@contextlib.asynccontextmanager
async def close_services_on_stop() -> AsyncIterator[None]:
    """On shutdown (SIGTERM included), commit the queued prediction records and close the
    database pool before the worker exits."""
    yield
    await asyncio.to_thread(close_current_services)
