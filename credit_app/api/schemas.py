"""Request and response models of the API that the services' dataclasses do not already give."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import Response
from pydantic import BaseModel, Field

from credit_app.ml.reasons import Contribution, Reason
from credit_app.services.scoring import ScoreOutcome


class ScoreOut(BaseModel):
    prediction_id: str = Field(description="read it back with GET /api/v1/predictions/{id}")
    probability: float = Field(description="probability of default, 0 to 1")
    decision: Literal["approve", "refuse"]
    threshold: float = Field(description="refuse at or above this probability")
    model_version: str
    sk_id_curr: int | None = None
    base_value: float | None = Field(
        None, description="with ?explain=true: base value + sum(contributions) = log-odds"
    )
    contributions: list[Contribution] | None = Field(
        None, description="with ?explain=true: every feature's value and TreeSHAP log-odds"
    )
    reasons: list[Reason] | None = None


def score_response(outcome: ScoreOutcome) -> Response:
    """`ScoreOut`'s JSON, written from plain values: a route that returns a response model
    has it validated and serialised in a second worker-thread hand-off, which was 11 % of
    the scoring route's time under load (docs/benchmarks.md). Tests hold the two equal."""
    body: dict[str, Any] = {
        "prediction_id": outcome.prediction_id or "",
        "probability": outcome.probability,
        "decision": outcome.decision,
        "threshold": outcome.threshold,
        "model_version": outcome.model_version,
        "sk_id_curr": outcome.sk_id_curr,
        "base_value": None,
        "contributions": None,
        "reasons": None,
    }
    explanation = outcome.explanation
    if explanation is not None:
        body["base_value"] = explanation.base_value
        body["contributions"] = [vars(c) for c in explanation.contributions]
        body["reasons"] = [vars(r) for r in explanation.reasons]
    return Response(json.dumps(body), media_type="application/json")


class RowErrorOut(BaseModel):
    line: int | None = Field(description="CSV file line (header is line 1) or array position")
    field: str | None
    message: str


class BatchRowOut(BaseModel):
    line: int
    prediction_id: str
    sk_id_curr: int | None
    probability: float
    decision: Literal["approve", "refuse"]


class BatchOut(BaseModel):
    batch_id: str
    scored: int
    rejected_rows: int
    approval_rate: float | None
    threshold: float | None
    model_version: str | None
    results: list[BatchRowOut]
    errors: list[RowErrorOut]


class OutcomeIn(BaseModel):
    client: str = Field(description="SK_ID_CURR or the client's pseudonym", min_length=1)
    defaulted: bool


class OutcomesIn(BaseModel):
    outcomes: list[OutcomeIn] = Field(min_length=1, max_length=10_000)


class RecordedOut(BaseModel):
    recorded: int


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds")


class ErasedOut(BaseModel):
    erased: bool
    pseudonym: str


class BatchSummaryOut(BaseModel):
    batch_id: str
    status: Literal["running", "done", "failed"]
    progress: int = Field(description="per cent of the rows handled")
    rows: int
    scored: int
    approved: int
    rejected_rows: int
    approval_rate: float | None
    threshold: float | None
    model_version: str | None
    errors: list[RowErrorOut] = Field(description="the first rows that were not scored")
    error: str | None = Field(None, description="why the batch failed, if it did")
