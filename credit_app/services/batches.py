"""Batch scoring, for the /batch page and `POST /api/v1/score/batch` alike.

One upload rule (bytes and rows), files scored in parts with progress, bad rows by file
line, and a `batches` record that holds the progress and the summary: pages keep only the
batch id, and the scored CSV is read back from the predictions by that id."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from credit_app.config import Settings
from credit_app.db.engine import Database
from credit_app.db.models import Batch, Prediction
from credit_app.db.types import utcnow
from credit_app.domain import Channel, Decision, Role
from credit_app.services.actors import Actor, Permission
from credit_app.services.batch_files import FilePart, split_csv
from credit_app.services.errors import NotFound, ServiceError, TooLarge
from credit_app.services.prediction_log import new_prediction_id
from credit_app.services.scoring import BatchOutcome, RowError, ScoringService

log = logging.getLogger(__name__)

ROWS_PER_PART = 500  # a page's progress moves every part; the API scores a file at once
HISTOGRAM_BINS = 20
KEPT_ROW_ERRORS = 200  # the record keeps the first bad rows; the log keeps them all
Progress = Callable[[int], None]  # per cent of the rows handled


@dataclass(frozen=True)
class UploadRule:
    """The one limit on what a batch may hold: bytes (1 MB = 10^6 bytes) and rows."""

    max_bytes: int
    max_rows: int

    @classmethod
    def of(cls, settings: Settings) -> UploadRule:
        return cls(max_bytes=settings.max_upload_bytes, max_rows=settings.max_batch_rows)

    def check_bytes(self, size: int) -> None:
        if size > self.max_bytes:
            limit = self.max_bytes / 1_000_000
            raise TooLarge(
                f"the body is larger than the {limit:g} MB limit",
                key="error.file_too_large",
                limit_mb=limit,
            )

    def check_rows(self, rows: int) -> None:
        if rows > self.max_rows:
            raise TooLarge(
                f"{rows} rows is more than the {self.max_rows} rows a batch may hold",
                key="error.too_many_rows",
                rows=rows,
                limit=self.max_rows,
            )


@dataclass
class BatchSummary:
    """A batch as its sender sees it: progress, counts, histogram, the first bad rows."""

    batch_id: str
    status: str
    progress: int
    file_name: str | None
    rows: int
    scored: int
    approved: int
    rejected_rows: int
    threshold: float | None
    model_version: str | None
    histogram: list[int]
    row_errors: list[dict[str, Any]]
    error: ServiceError | None

    @property
    def approval_rate(self) -> float | None:
        return self.approved / self.scored if self.scored else None


class BatchScoring:
    """Scores files and arrays through the scoring service and keeps their records."""

    def __init__(
        self,
        database: Database,
        scoring: ScoringService,
        rule: UploadRule,
        rows_per_part: int = ROWS_PER_PART,
    ) -> None:
        self.database = database
        self.scoring = scoring
        self.rule = rule
        self.rows_per_part = rows_per_part
        self._jobs: ThreadPoolExecutor | None = None

    # -- scoring -------------------------------------------------------------------------
    def score_csv(
        self,
        session: Session,
        actor: Actor,
        content: bytes,
        *,
        channel: Channel,
        file_name: str | None = None,
        progress: Progress | None = None,
    ) -> BatchOutcome:
        """Score a Home Credit CSV now; with `progress`, in parts, reporting after each."""
        parts = self._parts(actor, content, whole=progress is None)
        batch_id = self._open(actor, channel, file_name, sum(p.rows for p in parts))
        return self._score_parts(session, actor, batch_id, parts, channel, progress)

    def score_json(
        self, session: Session, actor: Actor, records: Sequence[Any], *, channel: Channel
    ) -> BatchOutcome:
        """Score a JSON array of applicants; bad elements are reported by position."""
        actor.require(Permission.score_batch)
        self.rule.check_rows(len(records))
        batch_id = self._open(actor, channel, None, len(records))
        try:
            outcome = self.scoring.score_records(
                session, actor, records, channel=channel, batch_id=batch_id
            )
        except ServiceError as error:
            self._fail(batch_id, error)
            raise
        self._finish(batch_id, outcome.results, outcome.errors)
        return outcome

    def start_csv(
        self, session: Session, actor: Actor, content: bytes, *, channel: Channel, file_name: str
    ) -> str:
        """Check the file, open its record and score it in the background; its id at once."""
        parts = self._parts(actor, content, whole=False)
        batch_id = self._open(actor, channel, file_name, sum(p.rows for p in parts))
        self._executor().submit(self._background, actor, batch_id, parts, channel)
        return batch_id

    def _background(
        self, actor: Actor, batch_id: str, parts: list[FilePart], channel: Channel
    ) -> None:
        def report(percent: int) -> None:
            self._update(batch_id, progress=percent)

        try:
            with self.database.session() as session:
                self._score_parts(session, actor, batch_id, parts, channel, report)
        except ServiceError:
            pass  # recorded on the batch by _score_parts
        except Exception as exc:  # the page must not wait for a batch that died
            log.exception("batch %s failed", batch_id)
            self._fail(batch_id, ServiceError(f"internal error: {type(exc).__name__}"))

    def _parts(self, actor: Actor, content: bytes, *, whole: bool) -> list[FilePart]:
        actor.require(Permission.score_batch)
        self.rule.check_bytes(len(content))
        parts = split_csv(content, self.rows_per_part)
        self.rule.check_rows(sum(p.rows for p in parts))
        if whole:
            return [FilePart(0, content, sum(p.rows for p in parts))]
        return parts

    def _score_parts(
        self,
        session: Session,
        actor: Actor,
        batch_id: str,
        parts: list[FilePart],
        channel: Channel,
        progress: Progress | None,
    ) -> BatchOutcome:
        results: list[tuple[int, Any]] = []
        errors: list[RowError] = []
        total = max(1, sum(p.rows for p in parts))
        done = 0
        for part in parts:
            try:
                outcome = self.scoring.score_file(
                    session,
                    actor,
                    part.content,
                    channel=channel,
                    batch_id=batch_id,
                    line_offset=part.offset,
                )
            except ServiceError as error:
                self._fail(batch_id, error)
                raise
            results.extend(outcome.results)
            errors.extend(outcome.errors)
            done += part.rows
            if progress is not None:
                progress(round(100 * done / total))
        self._finish(batch_id, results, errors)
        return BatchOutcome(batch_id, results, errors)

    # -- the record ----------------------------------------------------------------------
    def _executor(self) -> ThreadPoolExecutor:
        if self._jobs is None:
            self._jobs = ThreadPoolExecutor(max_workers=2, thread_name_prefix="batch")
        return self._jobs

    def shutdown(self) -> None:
        if self._jobs is not None:
            self._jobs.shutdown(wait=True)

    def _open(self, actor: Actor, channel: Channel, file_name: str | None, rows: int) -> str:
        batch = Batch(
            id=new_prediction_id(),
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_name=actor.name[:64],
            channel=channel,
            file_name=(file_name or None) and file_name[:120],
            rows=rows,
        )
        with self.database.session() as session:
            session.add(batch)
        return batch.id

    def _update(self, batch_id: str, **values: Any) -> None:
        with self.database.session() as session:
            session.execute(update(Batch).where(col(Batch.id) == batch_id).values(**values))

    def _finish(
        self, batch_id: str, results: list[tuple[int, Any]], errors: list[RowError]
    ) -> None:
        first = results[0][1] if results else None
        self._update(
            batch_id,
            status="done",
            progress=100,
            finished_at=utcnow(),
            scored=len(results),
            approved=sum(o.decision == Decision.approve for _, o in results),
            rejected_rows=len({e.line for e in errors}),
            threshold=first.threshold if first else None,
            model_version=first.model_version if first else None,
            histogram=histogram([o.probability for _, o in results]),
            row_errors=[e.detail() for e in errors[:KEPT_ROW_ERRORS]],
        )

    def _fail(self, batch_id: str, error: ServiceError) -> None:
        details = getattr(error, "details", [])
        self._update(
            batch_id,
            status="failed",
            finished_at=utcnow(),
            error=str(error)[:500],
            error_key=error.key,
            error_params=_json_params(error.params),
            row_errors=[dict(d) for d in details[:KEPT_ROW_ERRORS]],
            rejected_rows=len({d.get("line") for d in details}),
        )

    # -- reading -------------------------------------------------------------------------
    def _own_batch(self, session: Session, actor: Actor, batch_id: str) -> Batch:
        """The batch if the actor sent it (admins see every one); NotFound otherwise."""
        actor.require(Permission.score_batch)
        batch = session.get(Batch, batch_id) if isinstance(batch_id, str) else None
        mine = batch is not None and (batch.actor_kind, batch.actor_id) == (actor.kind, actor.id)
        if batch is None or not (mine or actor.role == Role.admin):
            raise NotFound(f"no batch {batch_id!r}", key="error.no_such_batch")
        return batch

    def summary(self, session: Session, actor: Actor, batch_id: str) -> BatchSummary:
        batch = self._own_batch(session, actor, batch_id)
        error = None
        if batch.status == "failed":
            error = ServiceError(batch.error or "", key=batch.error_key or "", **batch.error_params)
        return BatchSummary(
            batch_id=batch.id,
            status=batch.status,
            progress=batch.progress,
            file_name=batch.file_name,
            rows=batch.rows,
            scored=batch.scored,
            approved=batch.approved,
            rejected_rows=batch.rejected_rows,
            threshold=batch.threshold,
            model_version=batch.model_version,
            histogram=list(batch.histogram),
            row_errors=list(batch.row_errors),
            error=error,
        )

    def scored_csv(self, session: Session, actor: Actor, batch_id: str) -> str:
        """The scored rows as CSV text (SK_ID_CURR, probability, decision) in file order."""
        batch = self._own_batch(session, actor, batch_id)
        if batch.status != "done":
            raise NotFound(f"batch {batch_id!r} has no results yet", key="error.batch_not_done")
        sk_id = col(Prediction.inputs)["SK_ID_CURR"].as_float()
        rows = session.execute(
            select(sk_id, col(Prediction.probability), col(Prediction.decision))
            .where(col(Prediction.batch_id) == batch.id, col(Prediction.status) == 200)
            .order_by(col(Prediction.batch_line))
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["SK_ID_CURR", "probability", "decision"])
        for identifier, probability, decision in rows:
            shown = "" if identifier is None else int(identifier)
            writer.writerow([shown, f"{probability:.6f}", decision])
        return out.getvalue()


def histogram(probabilities: Sequence[float], bins: int = HISTOGRAM_BINS) -> list[int]:
    """Counts of probabilities in `bins` equal bins from 0 to 1."""
    counts = [0] * bins
    for p in probabilities:
        counts[min(int(p * bins), bins - 1)] += 1
    return counts


def _json_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Error parameters as JSON can hold them (enums and other objects as text)."""
    return {
        k: v if isinstance(v, int | float | bool) or v is None else str(v)
        for k, v in params.items()
    }
