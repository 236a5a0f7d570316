"""Monitoring figures for machines (analysts and admins): the same as the pages show."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from credit_app.api.deps import ActorDep, ServicesDep
from credit_app.domain import Channel
from credit_app.ml.performance import Light
from credit_app.services import monitoring
from credit_app.services.errors import InvalidInput
from credit_app.services.monitoring_performance import Step
from credit_app.services.monitoring_performance import performance as measure_performance

router = APIRouter(tags=["monitoring"])


def window_of(
    start: Annotated[datetime | None, Query(alias="from", description="with a time zone")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="with a time zone")] = None,
    channel: Channel | None = None,
) -> monitoring.Window:
    """The window every monitoring route reads: `from` and `to`, or neither (the last 7 days)."""
    if start is None and end is None:
        return monitoring.Window.last("7d", channel)
    if start is None or end is None:
        raise InvalidInput("give both `from` and `to`, or neither (the last 7 days)")
    return monitoring.Window.between(start, end, channel)


WindowDep = Annotated[monitoring.Window, Depends(window_of)]


class ScoreStabilityOut(BaseModel):
    n: int
    psi: float
    psi_critical: float = Field(description="what sampling noise alone reaches (99 %)")
    drifted: bool
    level: str = Field(description="ok, watch or act")
    reason: str


class SummaryOut(BaseModel):
    start: datetime
    end: datetime
    channel: Channel | None
    requests: int
    errors: int
    error_rate: float | None
    errors_by_status: dict[int, int]
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    latency_p99_ms: float | None
    decisions: int
    approval_rate: float | None
    approval_outside_band: int = Field(
        description="hours or days whose approval rate left its 3-sigma band (≥ 30 decisions)"
    )
    score: ScoreStabilityOut


@router.get(
    "/monitoring/summary",
    response_model=SummaryOut,
    summary="Service health and decisions over a window (default: the last 7 days)",
)
def summary(actor: ActorDep, services: ServicesDep, window: WindowDep) -> SummaryOut:
    with services.session() as session:
        health = monitoring.service_health(session, actor, window)
        found = monitoring.decisions(session, actor, window, services.models)
    return SummaryOut(
        start=window.start,
        end=window.end,
        channel=window.channel,
        requests=health.requests,
        errors=health.errors,
        error_rate=health.error_rate,
        errors_by_status=health.errors_by_status,
        latency_p50_ms=health.p50,
        latency_p95_ms=health.p95,
        latency_p99_ms=health.p99,
        decisions=found.decisions,
        approval_rate=found.approval_rate,
        approval_outside_band=sum(day.outside for day in found.approvals),
        score=ScoreStabilityOut(
            n=found.score.n,
            psi=found.score.psi,
            psi_critical=found.score.psi_critical,
            drifted=found.score.drifted,
            level=found.score.level,
            reason=found.score.reason_code,
        ),
    )


# -- realised and estimated performance ---------------------------------------------------


class AucOut(BaseModel):
    auc: float
    lower: float = Field(description="lower bound of the 95 % interval")
    upper: float = Field(description="upper bound of the 95 % interval")
    se: float = Field(
        description="standard error: DeLong's for a realised AUC; for an expected one, the "
        "spread its realised AUC would have from the outcomes' chance alone"
    )


class ConfusionOut(BaseModel):
    """At the model card's threshold; refusing is the positive prediction."""

    tp: int = Field(description="refused, defaulted")
    fp: int = Field(description="refused, would have repaid")
    tn: int = Field(description="approved, repaid")
    fn: int = Field(description="approved, defaulted")


class CalibrationBinOut(BaseModel):
    low: float = Field(description="lowest predicted probability of default in the decile")
    high: float = Field(description="highest predicted probability of default in the decile")
    n: int
    defaults: int
    mean_pd: float = Field(description="mean predicted probability of default")
    default_rate: float = Field(description="observed default rate")
    p_value: float = Field(
        description="Jeffreys test: P(true default rate <= mean_pd) under Beta(D + 1/2, "
        "N - D + 1/2); near 0, more defaults than predicted; near 1, fewer"
    )
    light: Light = Field(
        description="red below 1 % or above 99 %, amber below 5 % or above 95 %, else green"
    )


class RealisedOut(BaseModel):
    auc: AucOut
    below_card_p: float = Field(
        description="one-sided p-value of 'the AUC is below the model card's AUC'"
    )
    below_card: bool = Field(description="below_card_p < 0.01")
    ks: float = Field(description="Kolmogorov-Smirnov statistic between the classes' scores")
    confusion: ConfusionOut
    cost_per_applicant: float = Field(
        description="cost of missed defaults and refused good payers (the model card's "
        "costs) per application"
    )
    calibration: list[CalibrationBinOut] = Field(description="by decile of predicted PD")


class MonthOut(BaseModel):
    month: str | None = Field(
        description="application month (UTC, YYYY-MM); null for the whole window"
    )
    n: int = Field(description="applications whose outcome is known (matured)")
    defaults: int
    awaiting: int = Field(description="applications whose outcome is not known yet")
    enough_data: bool = Field(
        description="at least min_defaults defaults and as many good payers; below, "
        "`realised` is null: not enough data to judge"
    )
    realised: RealisedOut | None


class EstimatedOut(BaseModel):
    start: datetime
    end: datetime
    predictions: int = Field(description="successful predictions, with an outcome or not")
    expected_default_rate: float | None = Field(
        description="mean predicted probability of default (assumes calibrated probabilities)"
    )
    enough_data: bool = Field(description="at least min_defaults expected defaults and good payers")
    expected_auc: AucOut | None = Field(
        description="AUC expected if each applicant defaults with their predicted probability "
        "(confidence-based estimation, before outcomes): it assumes calibrated probabilities"
    )
    outcomes: int = Field(description="predictions of this period whose outcome is known")
    defaults: int
    realised_default_rate: float | None = Field(description="null without an outcome")
    realised_auc: AucOut | None = Field(description="null without enough outcomes")


class PerformanceOut(BaseModel):
    start: datetime
    end: datetime
    channel: Channel | None
    card_auc: float = Field(description="the model card's (cross-validated) AUC")
    threshold: float = Field(description="the model card's threshold")
    cost_fn: float = Field(description="cost of a missed default")
    cost_fp: float = Field(description="cost of a refused good payer")
    min_defaults: int = Field(description="fewest defaults (and good payers) to judge")
    overall: MonthOut = Field(description="the window's applications, every month together")
    months: list[MonthOut] = Field(description="by application month")
    estimate_step: Step = Field(
        description="the period of `estimated`: a day for windows of up to two days, "
        "else a week from Monday"
    )
    estimated_overall: EstimatedOut = Field(
        description="the whole window; assumes calibrated probabilities"
    )
    estimated: list[EstimatedOut] = Field(
        description="by day or week: expected figures from the predicted probabilities "
        "alone (they hold only if the probabilities are calibrated), next to the realised "
        "ones where outcomes are known"
    )


@router.get(
    "/monitoring/performance",
    response_model=PerformanceOut,
    summary="Realised performance by application month and estimated performance "
    "(default: the last 7 days)",
)
def performance(actor: ActorDep, services: ServicesDep, window: WindowDep) -> PerformanceOut:
    with services.session() as session:
        found = measure_performance(session, actor, window, services.models)
    return PerformanceOut(
        start=window.start,
        end=window.end,
        channel=window.channel,
        card_auc=found.card_auc,
        threshold=found.threshold,
        cost_fn=found.cost_fn,
        cost_fp=found.cost_fp,
        min_defaults=found.min_defaults,
        overall=MonthOut.model_validate(found.overall, from_attributes=True),
        months=[MonthOut.model_validate(m, from_attributes=True) for m in found.months],
        estimate_step=found.estimate_step,
        estimated_overall=EstimatedOut.model_validate(
            found.estimated_overall, from_attributes=True
        ),
        estimated=[EstimatedOut.model_validate(p, from_attributes=True) for p in found.estimated],
    )
