"""/batch: score a Home Credit CSV in the background, part by part, with progress and a summary.

The uploaded bytes go to a private temporary file (mode 0600), never under
`rx.get_upload_dir()`, which is served publicly; the scoring task deletes it.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import tempfile
from pathlib import Path

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart, histogram_figure
from credit_app.components.layout import APP_TITLE, signed_in_page
from credit_app.components.tables import data_table
from credit_app.components.ui import alert, card, file_drop, page_heading
from credit_app.db.models import Channel
from credit_app.ml.reasons import label_of
from credit_app.services.actors import Permission
from credit_app.services.batch_files import split_csv
from credit_app.services.container import get_services
from credit_app.services.errors import InvalidInput, ServiceError
from credit_app.services.scoring import RowError, ScoreOutcome
from credit_app.state.session import SessionState

UPLOAD_ID = "batch-file"
ROWS_PER_PART = 500
SHOWN_BAD_ROWS = 200
_LINE_PREFIX = re.compile(r"^line \d+: ")


def _stash(content: bytes) -> str:
    handle, path = tempfile.mkstemp(prefix="credit-batch-", suffix=".csv")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    return path


def _take(path: str) -> bytes:
    """The stashed file's bytes; the file is gone afterwards."""
    file = Path(path)
    try:
        return file.read_bytes()
    finally:
        file.unlink(missing_ok=True)


def _scored_csv(results: list[tuple[int, ScoreOutcome]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["SK_ID_CURR", "probability", "decision"])
    for _, outcome in sorted(results, key=lambda item: item[0]):
        sk_id = "" if outcome.sk_id_curr is None else outcome.sk_id_curr
        writer.writerow([sk_id, f"{outcome.probability:.6f}", outcome.decision])
    return out.getvalue()


def _bad_row(error: RowError, offset: int) -> dict[str, str]:
    line = "" if error.line is None else str(error.line + offset)
    return {
        "line": line,
        "field": f"{label_of(error.field)} ({error.field})" if error.field else "",
        "message": _LINE_PREFIX.sub("", error.message),
    }


class BatchState(SessionState):
    file_name: str = ""
    running: bool = False
    progress: int = 0
    error: str = ""
    done: bool = False
    rows_scored: int = 0
    approved: int = 0
    approval_rate: str = ""
    bad_rows: list[dict[str, str]] = []
    bad_row_count: int = 0
    histogram: dict = {}
    _pending: str = ""
    _scored: str = ""

    def _reset(self) -> None:
        self.error, self.done, self.progress = "", False, 0
        self.rows_scored = self.approved = self.bad_row_count = 0
        self.approval_rate, self.bad_rows, self.histogram, self._scored = "", [], {}, ""

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        if not await self._resume():
            return rx.redirect(routes.LOGIN)
        if not self.running:
            self._reset()
        if Permission.score_batch not in self.permissions:
            self.error = f"The {self.role} role may not score batch files."
        return None

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        if self.running:
            return None
        self._reset()
        try:
            (await self._checked_actor()).require(Permission.score_batch)
        except ServiceError as exc:
            self.error = str(exc).capitalize() + "."
            return None
        if not files:
            self.error = "Choose a CSV file first."
            return None
        limit = int(get_services().settings.max_upload_mb * 1024 * 1024)
        content = await files[0].read(limit + 1)
        if len(content) > limit:
            self.error = f"The file is larger than {limit // (1024 * 1024)} MB."
            return None
        self.file_name = (files[0].filename or "file.csv")[:120]
        self._pending = await asyncio.to_thread(_stash, content)
        self.running = True
        return BatchState.score_pending

    @rx.event(background=True)
    async def score_pending(self):  # type: ignore[no-untyped-def]
        async with self:
            path, self._pending = self._pending, ""
            try:
                actor = await self._checked_actor()
            except ServiceError as exc:
                self.error, self.running = str(exc).capitalize() + ".", False
                return
        if not path:
            return
        services = get_services()
        content = await asyncio.to_thread(_take, path)
        parts = await asyncio.to_thread(split_csv, content, ROWS_PER_PART)
        total_rows = sum(p.rows for p in parts)
        results: list[tuple[int, ScoreOutcome]] = []
        bad_rows: list[dict[str, str]] = []
        message = ""
        if total_rows > (most := services.settings.max_batch_rows):
            message = f"The file has {total_rows} rows; a batch may hold {most}."
            parts = []
        for number, part in enumerate(parts, start=1):
            try:
                outcome = await asyncio.to_thread(
                    services.scoring.score_file, actor, part.content, channel=Channel.batch
                )
            except InvalidInput as exc:
                message = "The file cannot be scored: " + _LINE_PREFIX.sub("", str(exc)) + "."
                bad_rows = [
                    _bad_row(
                        RowError(d.get("line"), d.get("field"), str(d.get("message"))), part.offset
                    )
                    for d in exc.details
                ]
                break
            except ServiceError as exc:
                message = str(exc).capitalize() + "."
                break
            results.extend((line + part.offset, o) for line, o in outcome.results)
            bad_rows.extend(_bad_row(e, part.offset) for e in outcome.errors)
            async with self:
                self.progress = round(100 * number / len(parts))
        scored = await asyncio.to_thread(_scored_csv, results) if results else ""
        threshold = results[0][1].threshold if results else 0.5
        figure = histogram_figure([o.probability for _, o in results], threshold)
        async with self:
            self.running, self.done, self.error = False, not message, message
            self.rows_scored = len(results)
            self.approved = sum(o.decision == "approve" for _, o in results)
            self.approval_rate = f"{self.approved / len(results) * 100:.1f} %" if results else "—"
            self.bad_row_count = len(bad_rows)
            self.bad_rows = bad_rows[:SHOWN_BAD_ROWS]
            self.histogram = figure if results else {}
            self._scored = scored

    @rx.event
    def download(self):  # type: ignore[no-untyped-def]
        if not self._scored:
            return None
        stem = Path(self.file_name).stem or "batch"
        return rx.download(data=self._scored, filename=f"{stem}-scored.csv", mime_type="text/csv")


def _upload_zone() -> rx.Component:
    return rx.vstack(
        file_drop(
            rx.vstack(
                rx.icon("file-up", size=32, color=rx.color("teal", 10), aria_hidden="true"),
                rx.text("Drop a Home Credit CSV here, or", id="drop-prompt"),
                rx.button("Choose a file", variant="soft", type="button", id="choose-file"),
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
            "Score file",
            on_click=BatchState.upload(rx.upload_files(upload_id=UPLOAD_ID)),
            loading=BatchState.running,
            size="3",
        ),
        rx.cond(
            BatchState.running,
            rx.vstack(
                rx.text(
                    "Scoring ",
                    BatchState.file_name,
                    ": ",
                    BatchState.progress,
                    " %",
                    aria_live="polite",
                ),
                rx.progress(
                    value=BatchState.progress, max=100, aria_label="Scoring progress", width="100%"
                ),
                width="100%",
                spacing="2",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _stat(label: str, value: rx.Var, stat_id: str) -> rx.Component:
    return rx.card(
        rx.text(label, size="2", color_scheme="gray"),
        rx.heading(value, size="6", id=stat_id),
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.vstack(
        rx.grid(
            _stat("Rows scored", BatchState.rows_scored, "rows-scored"),
            _stat("Approved", BatchState.approved, "approved"),
            _stat("Approval rate", BatchState.approval_rate, "approval-rate"),
            _stat("Rows with errors", BatchState.bad_row_count, "bad-row-count"),
            columns=rx.breakpoints(initial="2", md="4"),
            gap="1em",
            width="100%",
        ),
        rx.button(
            rx.icon("download", size=16, aria_hidden="true"),
            "Download scored CSV",
            on_click=BatchState.download,
            disabled=BatchState.rows_scored == 0,
        ),
        card(
            "Scores",
            chart(BatchState.histogram, "Histogram of the probabilities of default", "histogram"),
        ),
        spacing="4",
        width="100%",
    )


def _bad_rows() -> rx.Component:
    return card(
        "Rows that were not scored",
        data_table(
            ["Line", "Field", "Reason"],
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
            rx.text(
                "Only the first ", SHOWN_BAD_ROWS, " are listed.", size="2", color_scheme="gray"
            ),
        ),
    )


@rx.page(route=routes.BATCH, title=f"Batch · {APP_TITLE}", on_load=BatchState.load)
def batch_page() -> rx.Component:
    return signed_in_page(
        rx.vstack(
            page_heading(
                "Batch scoring",
                "Score a file of applications. Bad rows are listed by line; the rest are scored.",
            ),
            alert(BatchState.error),
            rx.cond(
                BatchState.permissions.contains("score_batch"),
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
