"""The time range and channel every monitoring page is read over."""

from __future__ import annotations

from datetime import UTC, datetime, time

import reflex as rx

from credit_app.domain import Channel
from credit_app.services.time_windows import RANGES, Window
from credit_app.state.page import page_event

CUSTOM = "custom"
ANY_CHANNEL = "any"


class MonitoringWindowMixin(rx.State, mixin=True):
    """Mixed into a monitoring page with `PageState`: the filter and its `apply` event."""

    range_name: str = "7d"
    channel: str = ANY_CHANNEL
    start_date: str = ""  # a custom range, as the date inputs give it (YYYY-MM-DD)
    end_date: str = ""

    def _window(self) -> Window:
        channel = Channel(self.channel) if self.channel in Channel.__members__ else None
        if self.range_name != CUSTOM:
            return Window.last(self.range_name, channel)
        try:
            start = datetime.combine(datetime.fromisoformat(self.start_date), time(), UTC)
            end = datetime.combine(datetime.fromisoformat(self.end_date), time.max, UTC)
        except ValueError:
            start = end = datetime.now(UTC)  # refused by Window.between, said to the reader
        return Window.between(start, end, channel)

    @page_event
    async def apply(self, form: dict):  # type: ignore[no-untyped-def]
        """The filter form: a named range or custom dates, and a channel."""
        form = form if isinstance(form, dict) else {}
        name = str(form.get("range", self.range_name))
        self.range_name = name if name in (*RANGES, CUSTOM) else self.range_name
        channel = str(form.get("channel", ANY_CHANNEL))
        self.channel = channel if channel in (*Channel.__members__, ANY_CHANNEL) else ANY_CHANNEL
        self.start_date = str(form.get("start", ""))[:10]
        self.end_date = str(form.get("end", ""))[:10]
        self.error = ""  # type: ignore[attr-defined]
        return await self._load()  # type: ignore[attr-defined]
