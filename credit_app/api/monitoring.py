"""Monitoring figures for machines (analysts and admins): the same as the pages show."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from credit_app.api.deps import ActorDep, ServicesDep
from credit_app.domain import Channel
from credit_app.ml import drift, performance
from credit_app.ml.performance import Light
from credit_app.services import monitoring, monitoring_drift, monitoring_fairness, time_windows
from credit_app.services.errors import InvalidInput
from credit_app.services.monitoring_performance import Step
from credit_app.services.monitoring_performance import performance as measure_performance

router = APIRouter(tags=["monitoring"])


def window_of(
    start: Annotated[datetime | None, Query(alias="from", description="with a time zone")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="with a time zone")] = None,
    channel: Channel | None = None,
) -> time_windows.Window:
    """The window every monitoring route reads: `from` and `to`, or neither (the last 7 days)."""
    if start is None and end is None:
        return time_windows.Window.last("7d", channel)
    if start is None or end is None:
        raise InvalidInput("give both `from` and `to`, or neither (the last 7 days)")
    return time_windows.Window.between(start, end, channel)


WindowDep = Annotated[time_windows.Window, Depends(window_of)]


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
def realised_performance(
    actor: ActorDep, services: ServicesDep, window: WindowDep
) -> PerformanceOut:
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
