"""Group commit: one writer thread commits what requests of the same moment submit, together.

Each submission (the rows of one call) gets a Future that is resolved once its rows are
committed, so a caller waits for its own record and no longer for the records of others
queued ahead of it: with a transaction per request, the commits queued behind each other
on SQLite's write lock (about 70 % of the busy time under load, issue 13); grouped, the
served app's p99 stays within 2.1x its p50 at 32 connections (docs/benchmarks.md).

A full queue, a stopped writer or a database outage fails the submission at once with
`LogUnavailable`, so that nothing is returned that is not recorded and nobody hangs; any
other failure of a group (an integrity error of one row) is retried one submission at a
time, so that one bad row does not fail the others."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from credit_app.services.errors import LogUnavailable

log = logging.getLogger(__name__)

Rows = list[dict[str, Any]]
#: Submissions taken into one transaction at most: bounds a transaction's size and time.
MAX_GROUP = 500
#: How long a caller waits for its commit before it is told the log is unavailable.
WAIT_SECONDS = 30.0


@dataclass
class _Submission:
    rows: Rows
    done: Future[None]


_STOP = object()


class GroupCommit:
    """Commits submitted rows with `write(rows)` in a writer thread of its own.

    `is_outage(error)` says whether a failed write means the store is away (every caller of
    the group is told so) rather than that some row is bad (retried one by one)."""

    def __init__(
        self,
        write: Callable[[Rows], None],
        is_outage: Callable[[BaseException], bool],
        *,
        queue_size: int = 1000,
        max_delay_ms: float = 0.0,
        name: str = "group-commit",
    ) -> None:
        self._write = write
        self._is_outage = is_outage
        self._queue: queue.Queue[_Submission | object] = queue.Queue(maxsize=queue_size)
        self._max_delay = max_delay_ms / 1000
        self._name = name
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        #: The reason of the last outage, until a group commits again (for readiness).
        self.outage: str | None = None

    # -- callers ---------------------------------------------------------------------------
    def submit(self, rows: Sequence[Mapping[str, Any]]) -> Future[None]:
        """Queue the rows; the future is resolved when they are committed."""
        submission = _Submission([dict(row) for row in rows], Future())
        with self._lock:
            if self._closed:
                raise LogUnavailable("the prediction log is closed: the server is stopping")
            self._start()
            try:
                self._queue.put_nowait(submission)
            except queue.Full:
                raise LogUnavailable(
                    "the prediction log is full: too many scores at once, try again shortly"
                ) from None
        return submission.done

    def write(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Submit the rows and return once they are committed (LogUnavailable otherwise)."""
        if not rows:
            return
        done = self.submit(rows)
        try:
            done.result(timeout=WAIT_SECONDS)
        except FutureTimeout:
            raise LogUnavailable(
                f"the prediction log did not commit within {WAIT_SECONDS:g} s"
            ) from None

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def close(self) -> None:
        """Refuse new submissions, commit every queued one, then stop the writer."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(_STOP)  # after every queued submission: they are drained
        if thread is not None:
            thread.join()

    # -- the writer --------------------------------------------------------------------------
    def _start(self) -> None:
        if self._thread is None:
            # A daemon, so that a script that never closes its log still exits; the served
            # app closes it on shutdown (SIGTERM included), which drains the queue.
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            group, stop = self._next_group()
            if group:
                self._commit(group)
            if stop:
                return

    def _next_group(self) -> tuple[list[_Submission], bool]:
        """What has queued while the previous group committed (waiting up to the maximum
        delay for more, if one is set); whether the writer is to stop after it."""
        first = self._queue.get()
        if first is _STOP:
            return [], True
        group: list[_Submission] = [first]  # type: ignore[list-item]
        deadline = time.monotonic() + self._max_delay
        while len(group) < MAX_GROUP:
            try:
                remaining = deadline - time.monotonic()
                item = (
                    self._queue.get(timeout=remaining)
                    if remaining > 0
                    else self._queue.get_nowait()
                )
            except queue.Empty:
                break
            if item is _STOP:
                return group, True
            group.append(item)  # type: ignore[arg-type]
        return group, False

    def _commit(self, group: list[_Submission]) -> None:
        try:
            self._write([row for submission in group for row in submission.rows])
        except Exception as error:
            if self._is_outage(error) or len(group) == 1:
                self._fail(group, error)
                return
            log.warning(
                "a group of %d writes failed (%s); writing them one by one", len(group), error
            )
            for submission in group:
                self._commit([submission])
            return
        self.outage = None
        for submission in group:
            submission.done.set_result(None)

    def _fail(self, group: list[_Submission], error: Exception) -> None:
        outage = self._is_outage(error)
        if outage:
            self.outage = _first_line(error)
            log.error("the prediction log cannot write: %s", self.outage)
        for submission in group:
            # One exception each: callers in other threads raise (and annotate) their own.
            submission.done.set_exception(
                LogUnavailable(
                    "the prediction log is unavailable (database unreachable): nothing was "
                    "recorded, try again shortly"
                )
                if outage
                else error
            )


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
