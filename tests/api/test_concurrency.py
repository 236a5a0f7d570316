"""Many scoring calls at once: every call leaves exactly one readable prediction record."""

from __future__ import annotations

import asyncio
import json

import httpx
from sqlalchemy import func
from sqlmodel import select

from credit_app.api.app import create_api
from credit_app.db.models import Prediction
from credit_app.domain import Role
from tests.api.conftest import ApiWorld
from tests.api.test_scoring import APPLICANT

CONCURRENT_REQUESTS = 500


async def _score_then_read_back(world: ApiWorld) -> tuple[list, list]:
    transport = httpx.ASGITransport(app=create_api(lambda: world.services))
    officer, analyst = world.as_role(Role.officer), world.as_role(Role.analyst)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        scores = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/score", json={**APPLICANT, "AMT_CREDIT": 100000.0 + i}, headers=officer
                )
                for i in range(CONCURRENT_REQUESTS)
            )
        )
        reads = await asyncio.gather(
            *(
                client.get(f"/api/v1/predictions/{r.json()['prediction_id']}", headers=analyst)
                for r in scores
                if r.status_code == 200
            )
        )
    return scores, reads


def test_500_concurrent_scores_leave_500_readable_records(world: ApiWorld) -> None:
    scores, reads = asyncio.run(_score_then_read_back(world))
    assert [r.status_code for r in scores] == [200] * CONCURRENT_REQUESTS
    assert [r.status_code for r in reads] == [200] * CONCURRENT_REQUESTS
    with world.services.session() as session:
        count = session.exec(select(func.count()).select_from(Prediction)).one()
        stored = {p.id: p.inputs["AMT_CREDIT"] for p in session.exec(select(Prediction))}
    assert count == CONCURRENT_REQUESTS
    for response in scores:
        sent = json.loads(response.request.content)["AMT_CREDIT"]
        assert stored[response.json()["prediction_id"]] == sent
    for score, read in zip(scores, reads, strict=True):
        assert read.json()["probability"] == score.json()["probability"]
