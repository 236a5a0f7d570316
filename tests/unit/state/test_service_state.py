"""The service health page's state driven directly, as Reflex calls its handlers: an analyst
sorts the errors by status and the slowest requests, each table on its own and on the
values, not their texts; an officer is refused, on the page and on the sort handler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from credit_app.pages.monitoring_service import ServiceHealthState
from credit_app.services.container import Services
from credit_app.services.prediction_log import prediction_row
from tests.unit.state.test_page_state import page, run, sign_in

REQUESTS = 40
#: Failed requests by status: as many 422 as 500 and 503 together, and more.
FAILED = {0: 503, 1: 500, 2: 500, 3: 500, **{n: 422 for n in range(4, 9)}}
CHANNELS = ("api", "ui", "batch")


def log_traffic(services: Services) -> None:
    """Requests over the last hours, their latencies in no order of time or channel."""
    now = datetime.now(UTC)
    services.scoring.log.write(
        [
            prediction_row(
                created_at=now - timedelta(minutes=5 * n + 1),
                actor_kind="user",
                actor_name="olivia",
                channel=CHANNELS[n % 3],
                status=FAILED.get(n, 200),
                # 9.0 ms and 1,000.0 ms: the slower sorts first, unlike its text ("9.0 ms").
                latency_ms=1000.0 if n == 20 else 9.0 + (n * 7 % REQUESTS) / 10,
            )
            for n in range(REQUESTS)
        ]
    )


def _sorted_by(state: Any, table: str, column: str) -> list[Any]:
    return [row["sort"][column] for row in state.tables[table]]


def test_an_analyst_sorts_each_table_of_the_service_page(app_services: Services) -> None:
    log_traffic(app_services)
    state = page(ServiceHealthState, sign_in(app_services, "arthur"))
    run(ServiceHealthState.load, state)
    assert state.error == "" and state.requests == str(REQUESTS)
    # First orders: statuses by code, the slowest requests slowest first.
    assert [row["status"] for row in state.tables["statuses"]] == ["422", "500", "503"]
    latencies = _sorted_by(state, "slowest", "latency")
    assert latencies[0] == 1000.0 and latencies == sorted(latencies, reverse=True)
    assert state.tables["slowest"][0]["latency"] == "1,000.0 ms"
    slowest = state.tables["slowest"]

    # Errors by their count: fewest first, then (a second click) most first.
    run(ServiceHealthState.sort_table, state, "statuses", "count")
    assert [row["count"] for row in state.tables["statuses"]] == ["1", "3", "5"]
    assert (state.sort_columns["statuses"], state.sort_descending["statuses"]) == ("count", False)
    run(ServiceHealthState.sort_table, state, "statuses", "count")
    assert [row["status"] for row in state.tables["statuses"]] == ["422", "500", "503"]
    assert state.sort_descending["statuses"] is True
    # The other table keeps its order.
    assert state.tables["slowest"] == slowest and state.sort_columns["slowest"] == "latency"

    # The slowest requests by time (the moment, not its text), channel, then status.
    run(ServiceHealthState.sort_table, state, "slowest", "when")
    moments = _sorted_by(state, "slowest", "when")
    assert moments == sorted(moments) and state.sort_descending["slowest"] is False
    run(ServiceHealthState.sort_table, state, "slowest", "when")
    assert _sorted_by(state, "slowest", "when") == sorted(moments, reverse=True)
    run(ServiceHealthState.sort_table, state, "slowest", "channel")
    channels = [row["channel"] for row in state.tables["slowest"]]
    assert channels == sorted(channels) and len(set(channels)) == 3
    run(ServiceHealthState.sort_table, state, "slowest", "status")
    run(ServiceHealthState.sort_table, state, "slowest", "status")
    statuses = _sorted_by(state, "slowest", "status")
    assert statuses == sorted(statuses, reverse=True) and statuses[0] > 200 == statuses[-1]
    assert [row["count"] for row in state.tables["statuses"]] == ["5", "3", "1"]

    # Neither a column that does not sort nor another page's table changes anything.
    ordered = state.tables["slowest"]
    for table, column in (("slowest", "id"), ("slowest", None), ("months", "n"), ("x", "when")):
        run(ServiceHealthState.sort_table, state, table, column)
        assert state.tables["slowest"] == ordered and state.sort_columns["slowest"] == "status"
    assert set(state.tables) == {"statuses", "slowest"}

    # Another window keeps each table's order.
    run(ServiceHealthState.apply, state, {"range": "24h", "channel": "any"})
    assert state.error == "" and _sorted_by(state, "slowest", "status")[0] > 200
    assert [row["count"] for row in state.tables["statuses"]] == ["5", "3", "1"]


def test_an_officer_is_refused_the_service_page_and_its_sorting(app_services: Services) -> None:
    log_traffic(app_services)
    officer = page(ServiceHealthState, sign_in(app_services, "olivia"))
    run(ServiceHealthState.load, officer)
    assert officer.error == "The officer role may not view monitoring."
    assert officer.tables == {"statuses": [], "slowest": []} and officer.requests == ""
    # The sort handler, called directly as any client could, is refused too.
    officer.error = ""
    run(ServiceHealthState.sort_table, officer, "slowest", "when")
    assert "may not view monitoring" in officer.error
    assert officer.sort_columns["slowest"] == "latency" and officer.tables["slowest"] == []
