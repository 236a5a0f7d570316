"""The analysts' prediction listing: newest first, stable pages, filters, on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect

from credit_app.db.types import utcnow
from credit_app.domain import Channel, Role
from credit_app.services import predictions
from credit_app.services.actors import user_actor
from credit_app.services.container import Services
from credit_app.services.prediction_log import prediction_row

ANALYST = user_actor(1, "ann", Role.analyst)


def _fill(services: Services) -> list[dict]:
    """30 predictions over 10 instants (three share each instant), mixed decisions/channels."""
    start = utcnow() - timedelta(hours=1)
    rows = [
        prediction_row(
            created_at=start + timedelta(minutes=n // 3),
            actor_kind="system",
            actor_name="test",
            channel=("api", "ui", "batch")[n % 3],
            decision=("approve", "refuse")[n % 2],
            probability=n / 100,
            latency_ms=1.0,
        )
        for n in range(30)
    ]
    services.scoring.log.write(rows)
    return rows


def test_pages_are_newest_first_and_stable(services: Services) -> None:
    rows = _fill(services)
    newest_first = sorted(rows, key=lambda r: (r["created_at"], r["id"]), reverse=True)
    expected = [r["id"] for r in newest_first]
    seen: list[str] = []
    with services.session() as session:
        for offset in range(0, 30, 7):  # pages of 7 that cut through equal timestamps
            page = predictions.list_predictions(session, ANALYST, limit=7, offset=offset)
            assert page.total == 30
            seen += [record.prediction_id for record in page.items]
    assert seen == expected


def test_filters_and_their_totals(services: Services) -> None:
    rows = _fill(services)
    with services.session() as session:
        refused = predictions.list_predictions(session, ANALYST, decision="refuse", limit=200)
        by_api = predictions.list_predictions(session, ANALYST, channel=Channel.api, limit=3)
        recent = predictions.list_predictions(
            session, ANALYST, since=rows[-1]["created_at"], limit=200
        )
    assert refused.total == 15 and {r.decision for r in refused.items} == {"refuse"}
    assert by_api.total == 10 and len(by_api.items) == 3
    assert [r.channel for r in by_api.items] == ["api"] * 3
    assert recent.total == 3  # the last instant holds three predictions


def test_listing_indexes_exist(services: Services) -> None:
    """The migrations create the indexes the listing relies on (see the models)."""
    indexes = inspect(services.database.engine).get_indexes("predictions")
    columns = {tuple(index["column_names"]) for index in indexes}
    assert {("created_at", "id"), ("decision", "created_at", "id")} <= columns
    assert ("channel", "created_at", "id") in columns
