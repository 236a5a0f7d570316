"""Scoring use cases: validate, score, explain, and record every call (failures included)."""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Table, bindparam, select
from sqlmodel import Session

from credit_app.db.models import Client
from credit_app.domain import Channel
from credit_app.ml.loader import DataFileError, Problem, load_applications, validate_applicant
from credit_app.ml.model import CreditModel, Explanation
from credit_app.ml.schema import APPLICATION_COLUMNS, SCHEMA_STAMP, TARGET_COLUMN, is_valid_id
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import InvalidInput, NotFound, ServiceError
from credit_app.services.models import ModelStore
from credit_app.services.prediction_log import PredictionLog, new_prediction_id, prediction_row
from credit_app.services.values import json_fields, json_records

#: Why a single applicant was refused, as the prediction log records it.
INVALID_APPLICANT = "the applicant has invalid fields"


@dataclass
class ScoreOutcome:
    """What a caller gets back for one scored applicant."""

    prediction_id: str | None  # None for an unrecorded what-if
    probability: float
    decision: str
    threshold: float
    model_version: str
    sk_id_curr: int | None = None
    explanation: Explanation | None = None
    bins: bytes | None = field(default=None, repr=False)  # recorded for monitoring only


@dataclass
class RowError:
    line: int | None  # file line (CSV) or 1-based array position (JSON)
    field: str | None
    message: str
    code: str = ""  # the problem's code and parameters, for pages in other languages
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, problem: Problem, line: int | None) -> RowError:
        return cls(line, problem.column, problem.message, problem.code, problem.params)

    def detail(self) -> dict[str, Any]:
        """As the `details` of errors and the batch record hold it."""
        return {
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "code": self.code,
            "params": self.params,
        }


@dataclass
class BatchOutcome:
    batch_id: str
    results: list[tuple[int, ScoreOutcome]]  # (line or position, outcome)
    errors: list[RowError] = field(default_factory=list)

    @property
    def approval_rate(self) -> float | None:
        if not self.results:
            return None
        approved = sum(outcome.decision == "approve" for _, outcome in self.results)
        return approved / len(self.results)


def problem_details(problems: Sequence[Problem], line_offset: int = 0) -> list[dict]:
    return [RowError.of(p, _shifted(p.line, line_offset)).detail() for p in problems]


class ScoringService:
    """Everything it needs comes through the constructor; tests build it directly.

    Use cases take `(session, actor, ...)` like every other; the session reads (the client),
    while records go through the prediction log in a transaction of their own, so that a
    failure is kept even when the caller's work is rolled back."""

    def __init__(self, models: ModelStore, log: PredictionLog) -> None:
        self.models = models
        self.log = log

    # -- one applicant -------------------------------------------------------------------
    def score_applicant(
        self,
        session: Session,
        actor: Actor,
        applicant: Mapping[str, Any],
        *,
        channel: Channel,
        explain: bool = False,
    ) -> ScoreOutcome:
        """Score a new applicant given as Home Credit fields; any field may be missing."""
        actor.require(Permission.score)
        started = time.perf_counter()
        if not isinstance(applicant, Mapping):
            error = InvalidInput("expected a JSON object of Home Credit fields")
            self._record_failure(actor, channel, started, {}, 422, error)
            raise error
        inputs = dict(applicant)
        cleaned, problems = validate_applicant(inputs)
        return self._score_one(
            actor, inputs, cleaned, problems, channel, explain, started, None, record=True
        )

    def score_client(
        self,
        session: Session,
        actor: Actor,
        sk_id_curr: int,
        *,
        channel: Channel,
        explain: bool = False,
        changes: Mapping[str, Any] | None = None,
        record: bool = True,
    ) -> ScoreOutcome:
        """Score a known client, optionally with some fields changed (what-if)."""
        actor.require(Permission.view_clients)
        actor.require(Permission.score)
        started = time.perf_counter()
        stored = _stored_application(session, sk_id_curr)
        if stored is None:
            error = NotFound(
                f"no client with SK_ID_CURR {sk_id_curr}",
                key="error.no_such_client",
                client=str(sk_id_curr),
            )
            self._record_failure(actor, channel, started, {"SK_ID_CURR": sk_id_curr}, 404, error)
            raise error
        client_id, application, stamp = stored
        changes = changes or {}
        inputs = {**application, **changes}
        if stamp == SCHEMA_STAMP:
            # Validated when stored, under today's rules: only the what-if changes are new
            # (each field is checked on its own, and an empty change removes the field).
            changed, problems = validate_applicant(changes)
            cleaned = {k: v for k, v in application.items() if k not in changes} | changed
        else:
            cleaned, problems = validate_applicant(inputs)
        client = (client_id, sk_id_curr)
        return self._score_one(
            actor, inputs, cleaned, problems, channel, explain, started, client, record
        )

    def _score_one(
        self,
        actor: Actor,
        inputs: dict[str, Any],
        cleaned: dict[str, Any],
        problems: list[Problem],
        channel: Channel,
        explain: bool,
        started: float,
        client: tuple[int, int] | None,
        record: bool,
    ) -> ScoreOutcome:
        """Score validated `cleaned` inputs of a new applicant or of a known `client`
        (id, SK_ID_CURR); the raw `inputs` go into the record of a refusal."""
        client_id = client[0] if client else None
        if problems:
            error = InvalidInput(INVALID_APPLICANT, problem_details(problems))
            self._record_failure(actor, channel, started, inputs, 422, error, client_id)
            raise error
        model = self._model(actor, channel, started, inputs, client_id)
        result = model.score(cleaned, explain=explain)
        outcome = ScoreOutcome(
            prediction_id=None,
            probability=result.probability,
            decision=result.decision,
            threshold=result.threshold,
            model_version=result.model_version,
            sk_id_curr=client[1] if client else cleaned.get("SK_ID_CURR"),
            explanation=result.explanation,
            bins=result.bins,
        )
        if record:
            outcome.prediction_id = new_prediction_id()
            self.log.write(
                [
                    self._record(
                        outcome, actor, channel, started, json_fields(cleaned), client_id=client_id
                    )
                ]
            )
        return outcome

    # -- many applicants -----------------------------------------------------------------
    def score_records(
        self,
        session: Session,
        actor: Actor,
        records: Sequence[Mapping[str, Any]],
        *,
        channel: Channel,
        batch_id: str | None = None,
    ) -> BatchOutcome:
        """Score a JSON array: each bad element is reported by position, the rest scored."""
        actor.require(Permission.score_batch)
        started = time.perf_counter()
        valid: list[dict[str, Any]] = []
        positions: list[int] = []
        errors: list[RowError] = []
        for position, record in enumerate(records, start=1):
            if not isinstance(record, Mapping):
                errors.append(RowError(position, None, "expected a JSON object", "not_an_object"))
                continue
            cleaned, problems = validate_applicant(record)
            if problems:
                errors.extend(RowError.of(p, position) for p in problems)
            else:
                valid.append(cleaned)
                positions.append(position)
        frame = pd.DataFrame.from_records(valid, columns=["SK_ID_CURR", *APPLICATION_COLUMNS])
        return self._score_frame(actor, frame, positions, errors, channel, started, batch_id)

    def score_file(
        self,
        session: Session,
        actor: Actor,
        content: bytes,
        *,
        channel: Channel,
        batch_id: str | None = None,
        line_offset: int = 0,
    ) -> BatchOutcome:
        """Score a Home Credit CSV: bad rows are reported by file line, the rest scored.

        A part of a larger file passes the file's `batch_id` and the `line_offset` that turns
        its lines into the file's."""
        actor.require(Permission.score_batch)
        started = time.perf_counter()
        try:
            loaded = load_applications(io.BytesIO(content))
        except DataFileError as exc:
            error = InvalidInput(
                str(exc),
                problem_details(exc.problems, line_offset),
                key=f"file.{exc.code}" if exc.code else "",
                **exc.params,
            )
            self._record_failure(actor, channel, started, {}, 422, error)
            raise error from None
        errors = [RowError.of(p, _shifted(p.line, line_offset)) for p in loaded.problems]
        lines = (loaded.lines + line_offset).tolist()
        return self._score_frame(actor, loaded.frame, lines, errors, channel, started, batch_id)

    def record_rejected(
        self, session: Session, actor: Actor, channel: Channel, status: int, error: Exception
    ) -> None:
        """Log a scoring call refused before it reached the model (bad body, too large)."""
        self._record_failure(actor, channel, time.perf_counter(), {}, status, error)

    def _score_frame(
        self,
        actor: Actor,
        frame: pd.DataFrame,
        positions: list[int],
        errors: list[RowError],
        channel: Channel,
        started: float,
        batch_id: str | None,
    ) -> BatchOutcome:
        batch_id = batch_id or new_prediction_id()
        failures = [
            self._failure(
                actor, channel, started, {}, 422, _row_error_text(e), None, batch_id, e.line
            )
            for e in errors
        ]
        if frame.empty:
            self.log.write(failures)
            return BatchOutcome(batch_id, [], errors)
        model = self._model(actor, channel, started, {"rows": len(frame)}, None)
        scored = model.score_frame(frame)
        per_row_ms = (time.perf_counter() - started) * 1000 / len(frame)
        ids = frame["SK_ID_CURR"] if "SK_ID_CURR" in frame else pd.Series([None] * len(frame))
        snapshots = json_records(frame.drop(columns=TARGET_COLUMN, errors="ignore"))
        results: list[tuple[int, ScoreOutcome]] = []
        records: list[dict[str, Any]] = []
        for position, result, sk_id, snapshot in zip(
            positions, scored, ids.tolist(), snapshots, strict=True
        ):
            outcome = ScoreOutcome(
                prediction_id=new_prediction_id(),
                probability=result.probability,
                decision=result.decision,
                threshold=result.threshold,
                model_version=result.model_version,
                sk_id_curr=None if sk_id is None or sk_id != sk_id else int(sk_id),
                bins=result.bins,
            )
            results.append((position, outcome))
            records.append(
                self._record(
                    outcome,
                    actor,
                    channel,
                    started,
                    snapshot,
                    batch_id=batch_id,
                    batch_line=position,
                    latency_ms=per_row_ms,
                )
            )
        self.log.write(failures + records)
        return BatchOutcome(batch_id, results, errors)

    # -- records -------------------------------------------------------------------------
    def _model(
        self,
        actor: Actor,
        channel: Channel,
        started: float,
        inputs: Mapping[str, Any],
        client_id: int | None,
    ) -> CreditModel:
        try:
            return self.models.get()
        except ServiceError as error:
            self._record_failure(actor, channel, started, inputs, 503, error, client_id)
            raise

    @staticmethod
    def _record(
        outcome: ScoreOutcome,
        actor: Actor,
        channel: Channel,
        started: float,
        inputs: dict[str, Any],
        *,
        client_id: int | None = None,
        batch_id: str | None = None,
        batch_line: int | None = None,
        latency_ms: float | None = None,
    ) -> dict[str, Any]:
        """A successful score's record; a batch passes its per-row share of the latency."""
        return _prediction(
            actor,
            channel,
            started,
            latency_ms=latency_ms,
            id=outcome.prediction_id,  # None: prediction_row gives a new one
            client_id=client_id,
            model_version=outcome.model_version,
            inputs=inputs,
            probability=outcome.probability,
            decision=outcome.decision,
            threshold=outcome.threshold,
            bins=outcome.bins,
            batch_id=batch_id,
            batch_line=batch_line,
        )

    def _record_failure(
        self,
        actor: Actor,
        channel: Channel,
        started: float,
        inputs: Mapping[str, Any],
        status: int,
        error: Exception,
        client_id: int | None = None,
    ) -> None:
        self.log.write([self._failure(actor, channel, started, inputs, status, error, client_id)])
        if isinstance(error, ServiceError):
            error.recorded = True

    def _failure(
        self,
        actor: Actor,
        channel: Channel,
        started: float,
        inputs: Mapping[str, Any],
        status: int,
        error: Exception | str,
        client_id: int | None = None,
        batch_id: str | None = None,
        batch_line: int | None = None,
    ) -> dict[str, Any]:
        return _prediction(
            actor,
            channel,
            started,
            client_id=client_id,
            model_version=self.models.loaded_version,
            inputs=json_fields({k: v for k, v in inputs.items() if _is_scalar(v)}),
            status=status,
            error=str(error)[:500],
            batch_id=batch_id,
            batch_line=batch_line,
        )


def _prediction(
    actor: Actor,
    channel: Channel,
    started: float,
    latency_ms: float | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A prediction row with who, how and how long (since `started`, unless given)."""
    if latency_ms is None:
        latency_ms = (time.perf_counter() - started) * 1000
    return prediction_row(
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        actor_name=actor.name,
        channel=channel.value,
        latency_ms=latency_ms,
        **fields,
    )


_CLIENTS: Table = Client.__table__  # type: ignore[attr-defined]
#: A known client's id and stored application, read without building an ORM object: the
#: ORM's read was 13 % of the scoring route's time under load.
_STORED_APPLICATION = select(
    _CLIENTS.c.id, _CLIENTS.c.application, _CLIENTS.c.application_schema
).where(_CLIENTS.c.sk_id_curr == bindparam("sk_id"))


def _stored_application(
    session: Session, sk_id_curr: int
) -> tuple[int, dict[str, Any], str | None] | None:
    """The client's id, application and its schema stamp; None for no client or no data."""
    if not is_valid_id(sk_id_curr):  # larger numbers do not fit the column: no such client
        return None
    row = session.connection().execute(_STORED_APPLICATION, {"sk_id": sk_id_curr}).first()
    if row is None or row.application is None:
        return None
    return row.id, row.application, row.application_schema


def _shifted(line: int | None, offset: int) -> int | None:
    return None if line is None else line + offset


def _row_error_text(error: RowError) -> str:
    where = f"{error.field}: " if error.field else ""
    return f"{where}{error.message}"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
