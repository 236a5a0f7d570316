"""Monitoring figures for machines (analysts and admins): the same as the pages show."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from credit_app.api.deps import ActorDep, ServicesDep
from credit_app.domain import Channel
from credit_app.services import monitoring
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
