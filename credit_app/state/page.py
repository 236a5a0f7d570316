"""The base of every page's state: its load with a declared permission, use cases run off
the event loop with a database session of their own, and service errors shown as the
page's message, in one place.

A page declares `permission` (checked on the server before its data is read) and writes
`_load` (what the page reads when it opens) and `_clear` if its data needs more than a
reset. Its handlers are `@page_event`s: a `ServiceError` from anything they call becomes
`error`, in the reader's language; a `SessionEnded` also ends the page's session."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar, TypeVar

import reflex as rx

from credit_app import routes
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import ServiceError, SessionEnded

T = TypeVar("T")
Handler = Callable[..., Any]


def _show(state: Any, error: ServiceError) -> None:
    if isinstance(error, SessionEnded):
        state.reset()  # the page's data goes with the session
        state.session_ended = True
    state.error = state._message(error)


async def _show_from(state: Any, error: ServiceError, background: bool) -> None:
    """`_show`, taking the state's lock first in a background event."""
    if background:
        async with state:
            _show(state, error)
    else:
        _show(state, error)


def page_event(handler: Handler | None = None, *, background: bool = False) -> Any:
    """`rx.event` whose `ServiceError`s become the page's message (see the module)."""
    if handler is None:
        return functools.partial(page_event, background=background)
    fn = handler
    if inspect.isasyncgenfunction(fn):

        @functools.wraps(fn)
        async def stream(self: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            try:
                async for update in fn(self, *args, **kwargs):
                    yield update
            except ServiceError as error:
                await _show_from(self, error, background)

        return rx.event(stream, background=background)

    @functools.wraps(fn)
    async def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(self, *args, **kwargs)
            return await result if inspect.isawaitable(result) else result
        except ServiceError as error:
            await _show_from(self, error, background)
            return None

    return rx.event(call, background=background)


class PageState(rx.State, mixin=True):
    """Mixed into each page's state together with `SessionState` (see the module)."""

    #: What the signed-in role needs to open the page; None: any signed-in user.
    permission: ClassVar[Permission | None] = None
    error: str = ""

    def _clear(self) -> None:
        """The page's data back to its defaults when it opens."""
        self.reset()

    async def _load(self) -> Any:
        """What the page reads when it opens (after the session and permission checks)."""
        return None

    @page_event
    async def load(self):  # type: ignore[no-untyped-def]
        """on_load: the session checked (else the sign-in page), the page's permission
        (else its message), then the page's own data."""
        self._clear()
        if not await self._resume():  # type: ignore[attr-defined]
            return rx.redirect(routes.LOGIN)
        if self.permission is not None:
            self._actor().require(self.permission)  # type: ignore[attr-defined]
        return await self._load()

    async def _run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`use_case(session, actor, *args, **kwargs)` for the signed-in user, the session
        checked again first, in a worker thread with a database session of its own."""
        actor = await self._checked_actor()  # type: ignore[attr-defined]
        return await self._call(actor, use_case, *args, **kwargs)

    async def _call(self, actor: Actor, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`_run` for an actor already checked (background events, outside the state lock)."""
        services = self._services()  # type: ignore[attr-defined]
        return await asyncio.to_thread(services.call, use_case, actor, *args, **kwargs)
