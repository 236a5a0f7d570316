"""Batches already sent: their summary, and their scored rows as CSV (the page links here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from credit_app.api.deps import BrowserActorDep, ServicesDep
from credit_app.api.schemas import BatchSummaryOut, RowErrorOut

router = APIRouter(tags=["scoring"])

BatchIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="the batch's id")]


@router.get("/batches/{batch_id}", response_model=BatchSummaryOut, summary="A batch's summary")
def summary(
    batch_id: BatchIdPath, actor: BrowserActorDep, services: ServicesDep
) -> BatchSummaryOut:
    with services.session() as session:
        batch = services.batches.summary(session, actor, batch_id)
    return BatchSummaryOut(
        batch_id=batch.batch_id,
        status=batch.status,  # type: ignore[arg-type]
        progress=batch.progress,
        rows=batch.rows,
        scored=batch.scored,
        approved=batch.approved,
        rejected_rows=batch.rejected_rows,
        approval_rate=batch.approval_rate,
        threshold=batch.threshold,
        model_version=batch.model_version,
        errors=[
            RowErrorOut(line=e.get("line"), field=e.get("field"), message=e.get("message", ""))
            for e in batch.row_errors
        ],
        error=str(batch.error) if batch.error else None,
    )


@router.get(
    "/batches/{batch_id}/scores.csv",
    summary="A batch's scored rows: SK_ID_CURR, probability, decision, in file order",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def scores(batch_id: BatchIdPath, actor: BrowserActorDep, services: ServicesDep) -> Response:
    with services.session() as session:
        text = services.batches.scored_csv(session, actor, batch_id)
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch_id[:8]}-scored.csv"'},
    )
