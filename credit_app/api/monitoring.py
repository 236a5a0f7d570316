"""Monitoring figures for machines (analysts and admins): the same as the pages show."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from credit_app.api.deps import ActorDep, ServicesDep
from credit_app.domain import Channel
from credit_app.ml import drift, performance
from credit_app.services import monitoring, monitoring_drift, monitoring_fairness
from credit_app.services.errors import InvalidInput

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


def _score_stability(score: drift.ScoreDrift) -> ScoreStabilityOut:
    return ScoreStabilityOut(
        n=score.n,
        psi=score.psi,
        psi_critical=score.psi_critical,
        drifted=score.drifted,
        level=score.level,
        reason=score.reason_code,
    )


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
        score=_score_stability(found.score),
    )


class DriftRowOut(BaseModel):
    feature: str
    kind: str = Field(description="numeric or categorical")
    test: str = Field(description="the test that flags: psi (population stability index)")
    value: float = Field(description="PSI on the training's deciles (or categories) + missing")
    threshold: float = Field(description="PSI from which a change is worth watching (0.10)")
    noise_threshold: float = Field(
        description="the PSI sampling noise alone reaches (99 %) for this window's size"
    )
    q_value: float = Field(description="PSI p-value adjusted across features (Benjamini-Hochberg)")
    distance_test: str = Field(description="wasserstein_norm (numeric) or jensen_shannon")
    distance: float = Field(description="the effect size: how large the change is")
    distance_threshold: float
    missing_change: float = Field(description="missing share now minus in training")
    unseen_share: float | None = Field(description="share of categories training never saw")
    importance: float = Field(description="the feature's share of the mean |SHAP| in training")
    drifted: bool = Field(description="beyond noise after correction, and large enough")
    level: str = Field(description="ok, watch or act")
    reason: str
    n: int


class DriftOut(BaseModel):
    start: datetime
    end: datetime
    channel: Channel | None
    model_version: str
    n: int = Field(description="the model's predictions counted in the window")
    min_rows: int = Field(description="below this many predictions no feature is flagged")
    enough_data: bool
    drifted_share: float = Field(description="share of the features that drifted")
    drifted_importance_share: float = Field(description="their share of the model's importance")
    level: str = Field(description="the worst feature's level: ok, watch or act")
    score: ScoreStabilityOut
    features: list[DriftRowOut] = Field(description="drift that matters (PSI x importance) first")


@router.get(
    "/monitoring/drift",
    response_model=DriftOut,
    summary="Data drift of every feature and of the score against the training data",
)
def data_drift(actor: ActorDep, services: ServicesDep, window: WindowDep) -> DriftOut:
    with services.session() as session:
        found = monitoring_drift.data_drift(session, actor, window, services.models)
    report = found.features
    return DriftOut(
        start=window.start,
        end=window.end,
        channel=window.channel,
        model_version=found.model_version,
        n=report.n,
        min_rows=report.min_rows,
        enough_data=report.enough_data,
        drifted_share=report.drifted_share,
        drifted_importance_share=report.drifted_importance_share,
        level=report.level,
        score=_score_stability(found.score),
        features=[
            DriftRowOut(
                feature=row.feature,
                kind=row.kind,
                test="psi",
                value=row.psi,
                threshold=drift.PSI_WATCH,
                noise_threshold=row.psi_critical,
                q_value=row.q_value,
                distance_test=row.distance_test,
                distance=row.distance,
                distance_threshold=drift.DISTANCE_THRESHOLD,
                missing_change=row.missing_change,
                unseen_share=row.unseen_share,
                importance=row.importance,
                drifted=row.drifted,
                level=row.level,
                reason=row.reason_code,
                n=row.n,
            )
            for row in report.rows
        ],
    )


# -- fairness ------------------------------------------------------------------------------


class IntervalOut(BaseModel):
    low: float
    high: float


class FairnessGroupOut(BaseModel):
    group: str = Field(
        description="the input's value (CODE_GENDER, NAME_FAMILY_STATUS), the age band "
        "(<25, 25-39, 40-59, 60+), or `missing` when the input was not given"
    )
    decisions: int
    approvals: int
    approval_rate: float
    approval_rate_interval: IntervalOut = Field(description="95 % Wilson interval")
    disparate_impact: float | None = Field(
        description="approval rate ÷ the reference group's; null when the reference approved no one"
    )
    disparate_impact_interval: IntervalOut | None = Field(
        description="95 % interval of the ratio (Katz, on the log scale); null for the "
        "reference itself (1 by definition) or with no ratio"
    )
    verdict: performance.Verdict = Field(
        description="reference; ok (ratio within 0.8-1.25); flag_low or flag_high (the "
        "ratio's whole interval below 0.8 or above 1.25); within_noise (the ratio is outside "
        "the band, its interval is not); too_few (fewer than `min_decisions` decisions in "
        "the group or the reference: see the rate's interval); not_judged (missing values)"
    )
    reference: bool = Field(description="the group the others are compared with")


class FairnessAttributeOut(BaseModel):
    attribute: str = Field(description="gender, age_band or family_status")
    feature: str = Field(description="the input it is read from")
    reference_group: str | None = Field(
        description="the group with the most decisions (missing values aside)"
    )
    groups: list[FairnessGroupOut]


class FairnessOut(BaseModel):
    start: datetime
    end: datetime
    channel: Channel | None
    decisions: int
    min_decisions: int = Field(description="fewer decisions in a group: no flag, its interval")
    band: IntervalOut = Field(description="the disparate-impact ratios taken as fair")
    attributes: list[FairnessAttributeOut]


def _interval(low: float | None, high: float | None) -> IntervalOut | None:
    return None if low is None or high is None else IntervalOut(low=low, high=high)


@router.get(
    "/monitoring/fairness",
    response_model=FairnessOut,
    summary="Approval rate and disparate impact by gender, age band and family status",
)
def fairness(actor: ActorDep, services: ServicesDep, window: WindowDep) -> FairnessOut:
    found = services.call(monitoring_fairness.fairness, actor, window)
    return FairnessOut(
        start=window.start,
        end=window.end,
        channel=window.channel,
        decisions=found.decisions,
        min_decisions=found.min_decisions,
        band=IntervalOut(low=performance.IMPACT_LOW, high=performance.IMPACT_HIGH),
        attributes=[
            FairnessAttributeOut(
                attribute=attribute.attribute.name,
                feature=attribute.attribute.feature,
                reference_group=attribute.reference,
                groups=[
                    FairnessGroupOut(
                        group=group.group,
                        decisions=group.n,
                        approvals=group.approved,
                        approval_rate=group.rate,
                        approval_rate_interval=IntervalOut(low=group.lower, high=group.upper),
                        disparate_impact=group.impact_ratio,
                        disparate_impact_interval=_interval(group.impact_lower, group.impact_upper),
                        verdict=group.status,
                        reference=group.status == "reference",
                    )
                    for group in attribute.groups
                ],
            )
            for attribute in found.attributes
        ],
    )
