"""/batch: score a Home Credit CSV in the background, part by part, with progress and a
summary.

The page holds only the batch's id and its summary: the file goes to the batch service,
which scores it off the event loop and keeps its progress and results in the database, so
any worker can follow it; the scored CSV is downloaded from the API, which checks who asks.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title, signed_in_page
from credit_app.components.tables import data_table
from credit_app.components.text import t
from credit_app.components.ui import alert, card, file_drop, hint, page_heading, stat, stat_row
from credit_app.domain import Channel
from credit_app.i18n import Words
from credit_app.services.actors import Permission
from credit_app.services.batches import BatchSummary
from credit_app.state.figures import histogram_figure
from credit_app.state.page import PageState, page_event
from credit_app.state.session import SessionState

UPLOAD_ID = "batch-file"
SHOWN_BAD_ROWS = 200
POLL_SECONDS = 0.4
# A batch whose record has not moved for this long is lost (its worker stopped): say so
# rather than follow it for ever.
STALL_SECONDS = 600


def _bad_row(words: Words, error: dict[str, Any]) -> dict[str, str]:
    field = error.get("field")
    return {
        "line": "" if error.get("line") is None else str(error["line"]),
        "field": f"{words.label(field)} ({field})" if field else "",
        "message": words.problem(error),
    }


class BatchState(PageState, SessionState):
    permission = Permission.score_batch
    file_name: str = ""
    running: bool = False
    progress: int = 0
    done: bool = False
    batch_id: str = ""
    rows_scored: int = 0
    approved: int = 0
    approval_rate: str = ""
    bad_rows: list[dict[str, str]] = []
    bad_row_count: int = 0
    histogram: dict = {}

    def _clear(self) -> None:
        if not self.running:  # a file being scored goes on when the page is opened again
            self.reset()

    @rx.var
    def download_url(self) -> str:
        return f"/api/v1/batches/{self.batch_id}/scores.csv" if self.batch_id else ""

    @page_event
    async def upload(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        if self.running:
            return None
        self.reset()
        actor = await self._checked_actor()
        actor.require(Permission.score_batch)
        if not files:
            self.error = self._words("batch.choose_first")
            return None
        rule = self._services().batches.rule
        content = await files[0].read(rule.max_bytes + 1)
        name = (files[0].filename or "file.csv")[:120]
        self.batch_id = await self._call(
            actor,
            self._services().batches.start_csv,
            content,
            channel=Channel.batch,
            file_name=name,
        )
        self.file_name, self.running = name, True
        return BatchState.follow

    @page_event(background=True)
    async def follow(self):  # type: ignore[no-untyped-def]
        """Follow the batch's record until it is done, showing its progress."""
        async with self:
            batch_id, actor, words = self.batch_id, await self._checked_actor(), self._words
        batches = self._services().batches
        moved, progress = time.monotonic(), -1
        while True:
            summary = await self._call(actor, batches.summary, batch_id)
            if summary.status != "running":
                break
            if summary.progress != progress:
                moved, progress = time.monotonic(), summary.progress
            elif time.monotonic() - moved > STALL_SECONDS:
                async with self:
                    self.running, self.error = False, words("batch.lost")
                return
            async with self:
                self.progress = summary.progress
            await asyncio.sleep(POLL_SECONDS)
        async with self:
            self._summarise(words, summary)

    def _summarise(self, words: Words, summary: BatchSummary) -> None:
        self.running, self.progress = False, summary.progress
        self.done = summary.status == "done"
        self.error = self._message(summary.error) if summary.error else ""
        self.rows_scored, self.approved = summary.scored, summary.approved
        rate = summary.approval_rate
        self.approval_rate = words.formats.percent(rate) if rate is not None else "—"
        self.bad_row_count = summary.rejected_rows
        self.bad_rows = [_bad_row(words, e) for e in summary.row_errors[:SHOWN_BAD_ROWS]]
        self.histogram = (
            histogram_figure(words, summary.histogram, summary.threshold or 0.5)
            if summary.scored
            else {}
        )


def _upload_zone() -> rx.Component:
    return rx.vstack(
        file_drop(
            rx.vstack(
                rx.icon("file-up", size=32, color=rx.color("teal", 10), aria_hidden="true"),
                rx.text(t("batch.drop"), id="drop-prompt"),
                rx.button(t("batch.choose"), variant="soft", type="button", id="choose-file"),
                rx.text(
                    rx.foreach(rx.selected_files(UPLOAD_ID), lambda name: rx.text.strong(name)),
                    id="selected-file",
                ),
                align="center",
                spacing="2",
            ),
            id=UPLOAD_ID,
            labelled_by="drop-prompt choose-file",
            accept={"text/csv": [".csv"]},
            max_files=1,
            multiple=False,
            border=f"2px dashed {rx.color('gray', 7)}",
            border_radius="var(--radius-3)",
            padding="2em",
            width="100%",
        ),
        rx.button(
            rx.icon("play", size=16, aria_hidden="true"),
            t("batch.submit"),
            on_click=BatchState.upload(rx.upload_files(upload_id=UPLOAD_ID)),
            loading=BatchState.running,
            size="3",
        ),
        rx.cond(
            BatchState.running,
            rx.vstack(
                rx.text(
                    t("batch.scoring", name=BatchState.file_name, progress=BatchState.progress),
                    aria_live="polite",
                ),
                rx.progress(
                    value=BatchState.progress,
                    max=100,
                    aria_label=t("batch.progress"),
                    width="100%",
                ),
                width="100%",
                spacing="2",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.vstack(
        stat_row(
            stat(t("batch.rows_scored"), BatchState.rows_scored, "rows-scored"),
            stat(t("batch.approved"), BatchState.approved, "approved"),
            stat(t("batch.approval_rate"), BatchState.approval_rate, "approval-rate"),
            stat(t("batch.bad_rows_count"), BatchState.bad_row_count, "bad-row-count"),
        ),
        rx.cond(
            BatchState.rows_scored > 0,
            # Reflex renders anchors as router links, which navigate instead of downloading:
            # `reloadDocument` leaves the click to the browser.
            rx.el.a(
                rx.icon("download", size=16, aria_hidden="true"),
                t("batch.download"),
                href=BatchState.download_url,
                download="",
                custom_attrs={"reloadDocument": True},
                id="download",
                display="inline-flex",
                align_items="center",
                gap="0.4em",
                font_weight="500",
                color=rx.color("accent", 11),
            ),
        ),
        card(
            t("batch.scores"),
            chart(BatchState.histogram, t("batch.histogram_label"), "histogram"),
        ),
        spacing="4",
        width="100%",
    )


def _bad_rows() -> rx.Component:
    return card(
        t("batch.bad_rows"),
        data_table(
            [t("batch.col_line"), t("batch.col_field"), t("batch.col_reason")],
            BatchState.bad_rows,
            lambda row: rx.table.row(
                rx.table.row_header_cell(row["line"]),
                rx.table.cell(row["field"]),
                rx.table.cell(row["message"]),
            ),
            "bad-rows",
            size="1",
        ),
        rx.cond(
            BatchState.bad_row_count > BatchState.bad_rows.length(),
            hint(t("batch.only_first", count=SHOWN_BAD_ROWS)),
        ),
    )


@rx.page(route=routes.BATCH, title=page_title("batch.title"), on_load=BatchState.load)
def batch_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            page_heading(t("batch.title"), t("batch.intro")),
            alert(BatchState.error),
            rx.cond(
                BatchState.permissions.contains(Permission.score_batch.value),
                rx.vstack(
                    rx.card(_upload_zone(), width="100%"),
                    rx.cond(BatchState.done, _summary()),
                    rx.cond(BatchState.bad_rows.length() > 0, _bad_rows()),
                    spacing="4",
                    width="100%",
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
