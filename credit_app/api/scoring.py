"""Scoring new applicants: one JSON object, or a batch as a JSON array or a CSV upload."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from credit_app.api.deps import ActorDep, ServicesDep
from credit_app.api.errors import status_of
from credit_app.api.schemas import BatchOut, BatchRowOut, RowErrorOut, ScoreOut, score_response
from credit_app.domain import Channel
from credit_app.services.batches import UploadRule
from credit_app.services.errors import InvalidInput, TooLarge
from credit_app.services.scoring import BatchOutcome

router = APIRouter(tags=["scoring"])

EXAMPLE_APPLICANT = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "CODE_GENDER": "F",
    "AMT_INCOME_TOTAL": 180000.0,
    "AMT_CREDIT": 450000.0,
    "AMT_ANNUITY": 22500.0,
    "AMT_GOODS_PRICE": 405000.0,
    "DAYS_BIRTH": -14000,
    "DAYS_EMPLOYED": -2200,
    "EXT_SOURCE_2": 0.61,
    "EXT_SOURCE_3": 0.52,
}
BATCH_DESCRIPTION = (
    "Send either a JSON array of applicant objects (Content-Type: application/json) or a "
    "Home Credit CSV file (multipart/form-data, field `file`). Bad rows are reported in "
    "`errors` by line (CSV, header = line 1) or position (JSON, first = 1); the rest are scored."
)


@router.post(
    "/score",
    response_model=ScoreOut,
    summary="Score a new applicant",
    description="Fields use Home Credit names (`application_train.csv`); any may be missing. "
    "Unknown fields and wrong types are refused with 422, naming each field. "
    "`?explain=true` adds TreeSHAP contributions, the base value and plain-language reasons.",
)
def score(
    actor: ActorDep,
    services: ServicesDep,
    applicant: Annotated[Any, Body(examples=[EXAMPLE_APPLICANT])],
    explain: bool = False,
) -> Response:
    with services.session() as session:
        outcome = services.scoring.score_applicant(
            session, actor, applicant, channel=Channel.api, explain=explain
        )
    return score_response(outcome)


def _batch_json(batch: BatchOutcome) -> Response:
    """The batch response, checked and serialised here: called in a worker thread, so that
    20,000 result rows do not hold up the event loop (which serves the pages too)."""
    first = batch.results[0][1] if batch.results else None
    out = BatchOut(
        batch_id=batch.batch_id,
        scored=len(batch.results),
        rejected_rows=len({e.line for e in batch.errors}),
        approval_rate=batch.approval_rate,
        threshold=first.threshold if first else None,
        model_version=first.model_version if first else None,
        results=[
            BatchRowOut(
                line=line,
                prediction_id=o.prediction_id or "",
                sk_id_curr=o.sk_id_curr,
                probability=o.probability,
                decision=o.decision,  # type: ignore[arg-type]
            )
            for line, o in batch.results
        ],
        errors=[RowErrorOut(line=e.line, field=e.field, message=e.message) for e in batch.errors],
    )
    return Response(out.model_dump_json(), media_type="application/json")


@router.post(
    "/score/batch",
    response_model=BatchOut,
    summary="Score many applicants (JSON array or CSV upload)",
    description=BATCH_DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"type": "object"}},
                    "example": [EXAMPLE_APPLICANT],
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            },
            "required": True,
        }
    },
)
async def score_batch(request: Request, actor: ActorDep, services: ServicesDep) -> Response:
    batches = services.batches
    try:
        body = await _read_limited(request, batches.rule)
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            content = await _uploaded_file(request, body)
            batch = await run_in_threadpool(
                services.call, batches.score_csv, actor, content, channel=Channel.api
            )
        elif content_type.startswith("application/json"):
            records = await run_in_threadpool(_json_array, body)
            batch = await run_in_threadpool(
                services.call, batches.score_json, actor, records, channel=Channel.api
            )
        else:
            raise InvalidInput(
                "send Content-Type application/json (an array) or multipart/form-data (a CSV file)"
            )
    except (InvalidInput, TooLarge) as error:
        if not error.recorded:
            await run_in_threadpool(
                services.call,
                services.scoring.record_rejected,
                actor,
                Channel.api,
                status_of(error),
                error,
            )
        raise
    return await run_in_threadpool(_batch_json, batch)


async def _read_limited(request: Request, rule: UploadRule) -> bytes:
    """The body, refused with 413 as soon as it passes the upload rule's bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        rule.check_bytes(int(declared))
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        rule.check_bytes(len(body))
    return bytes(body)


def _json_array(body: bytes) -> list:
    try:
        records = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}") from None
    if not isinstance(records, list):
        raise InvalidInput("expected a JSON array of applicant objects")
    return records


async def _uploaded_file(request: Request, body: bytes) -> bytes:
    async def replay():  # type: ignore[no-untyped-def]
        yield body

    try:
        form = await MultiPartParser(request.headers, replay()).parse()
    except MultiPartException as exc:
        raise InvalidInput(f"the upload is not a valid multipart form: {exc.message}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput("the form has no file field named `file`")
    return await upload.read()
