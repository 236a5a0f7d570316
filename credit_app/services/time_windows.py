"""The time window every monitoring figure is read over: a range and, optionally, a channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, FromClause, Table

from credit_app.db.models import Prediction
from credit_app.domain import Channel
from credit_app.services.errors import InvalidInput

_PREDICTIONS: Table = Prediction.__table__  # type: ignore[attr-defined]
#: The windows a page offers, by name.
RANGES: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
MAX_WINDOW = timedelta(days=366)


@dataclass(frozen=True)
class Window:
    """A time range [start, end) and, optionally, one channel."""

    start: datetime
    end: datetime
    channel: Channel | None = None

    @classmethod
    def last(cls, name: str, channel: Channel | None = None, now: datetime | None = None) -> Window:
        if name not in RANGES:
            raise InvalidInput(f"unknown range {name!r}", key="monitoring.error.range")
        end = now or datetime.now(UTC)
        return cls(end - RANGES[name], end, channel)

    @classmethod
    def between(cls, start: datetime, end: datetime, channel: Channel | None = None) -> Window:
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("dates need a time zone", key="monitoring.error.timezone")
        if not start < end or end - start > MAX_WINDOW:
            raise InvalidInput(
                "the window must end after it starts and span at most a year",
                key="monitoring.error.window",
            )
        return cls(start, end, channel)

    @property
    def bucket(self) -> timedelta:
        """Hours for a window of up to two days, days beyond."""
        return (
            timedelta(hours=1) if self.end - self.start <= timedelta(days=2) else timedelta(days=1)
        )

    def bucket_of(self, moment: datetime) -> datetime:
        size = self.bucket.total_seconds()
        return datetime.fromtimestamp(moment.timestamp() // size * size, UTC)

    def clauses(self, rows: FromClause | None = None) -> list[ColumnElement[bool]]:
        """The prediction log's rows of this window (time range and channel), for a WHERE:
        every monitoring query selects its rows the same way. `rows`: a subquery of the
        log's rows (with its `created_at` and `channel`) instead of the log itself."""
        columns = (rows if rows is not None else _PREDICTIONS).c
        clauses = [columns.created_at >= self.start, columns.created_at < self.end]
        if self.channel is not None:
            clauses.append(columns.channel == self.channel)
        return clauses
