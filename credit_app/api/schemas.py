"""Response models of the API (the OpenAPI document shows these to callers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from credit_app.services.scoring import ScoreOutcome


class ContributionOut(BaseModel):
    feature: str
    value: Any = Field(description="the applicant's value of the feature (null if missing)")
    contribution: float = Field(description="TreeSHAP contribution, in log-odds")


class ReasonOut(BaseModel):
    feature: str
    label: str
    value_text: str
    direction: Literal["raises", "lowers"]
    contribution: float
    text: str


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
    contributions: list[ContributionOut] | None = None
    reasons: list[ReasonOut] | None = None

    @classmethod
    def of(cls, outcome: ScoreOutcome) -> ScoreOut:
        out = cls(
            prediction_id=outcome.prediction_id or "",
            probability=outcome.probability,
            decision=outcome.decision,  # type: ignore[arg-type]
            threshold=outcome.threshold,
            model_version=outcome.model_version,
            sk_id_curr=outcome.sk_id_curr,
        )
        if outcome.explanation is not None:
            explanation = outcome.explanation
            out.base_value = explanation.base_value
            out.contributions = [ContributionOut(**vars(c)) for c in explanation.contributions]
            out.reasons = [ReasonOut(**vars(r)) for r in explanation.reasons]
        return out


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


class ClientSummaryOut(BaseModel):
    sk_id_curr: int
    contract_type: str | None
    income_total: float | None
    amt_credit: float | None
    last_probability: float | None
    last_decision: str | None
    last_scored_at: datetime | None


class ClientPageOut(BaseModel):
    items: list[ClientSummaryOut]
    total: int
    limit: int
    offset: int


class ClientOut(ClientSummaryOut):
    application: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class PredictionOut(BaseModel):
    prediction_id: str
    created_at: datetime
    client: str | None = Field(description="the client's pseudonym, never its id")
    actor: str
    channel: str
    model_version: str | None
    probability: float | None
    decision: str | None
    threshold: float | None
    latency_ms: float
    status: int
    error: str | None


class PredictionPageOut(BaseModel):
    items: list[PredictionOut]
    total: int
    limit: int
    offset: int


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
