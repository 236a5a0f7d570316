"""/monitoring/service: requests, errors by status, latency percentiles by channel, the
slowest requests (with their prediction ids, which analysts may look up); both tables sort
by their headers."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title
from credit_app.components.monitoring import monitoring_page
from credit_app.components.tables import state_table
from credit_app.components.text import t
from credit_app.components.ui import card, hint, stat, stat_row
from credit_app.i18n import Words
from credit_app.services import monitoring
from credit_app.services.actors import Permission
from credit_app.state.monitoring_figures import latency_figure, requests_figure
from credit_app.state.monitoring_window import MonitoringWindowMixin
from credit_app.state.page import PageState
from credit_app.state.session import SessionState
from credit_app.state.sorting import SORT, Columns, SortedTablesMixin

STATUS_COLUMNS: Columns = [
    ("status", "monitoring.col_status"),
    ("count", "monitoring.col_count"),
]
SLOWEST_COLUMNS: Columns = [
    (None, "monitoring.col_prediction"),
    ("when", "monitoring.col_when"),
    ("channel", "monitoring.col_channel"),
    ("latency", "monitoring.col_latency"),
    ("status", "monitoring.col_status"),
]


def _status_rows(words: Words, health: monitoring.ServiceHealth) -> list[dict[str, Any]]:
    """One row per failed status: its code and how many requests ended with it."""
    f = words.formats
    return [
        {"status": str(status), "count": f.number(count), SORT: {"status": status, "count": count}}
        for status, count in health.errors_by_status.items()
    ]


def _slowest_rows(words: Words, health: monitoring.ServiceHealth) -> list[dict[str, Any]]:
    """One row per slow request: its prediction, when, through which channel, how long."""
    f = words.formats
    rows = []
    for prediction_id, when, channel, ms, status in health.slowest:
        channel_name = words(f"channel.{channel}")
        rows.append(
            {
                "id": prediction_id,
                "when": f.datetime(when),
                "channel": channel_name,
                "latency": words("monitoring.ms", value=f.number(ms, 1)),
                "status": str(status),
                SORT: {
                    "when": when.timestamp(),
                    "channel": channel_name,
                    "latency": ms,
                    "status": status,
                },
            }
        )
    return rows


class ServiceHealthState(SortedTablesMixin, MonitoringWindowMixin, PageState, SessionState):
    permission = Permission.view_monitoring
    requests: str = ""
    error_rate: str = ""
    p95: str = ""
    p99: str = ""
    table_columns: ClassVar[dict[str, Columns]] = {
        "statuses": STATUS_COLUMNS,
        "slowest": SLOWEST_COLUMNS,
    }
    tables: dict[str, list[dict[str, Any]]] = {"statuses": [], "slowest": []}
    sort_columns: dict[str, str] = {"statuses": "status", "slowest": "latency"}
    sort_descending: dict[str, bool] = {"statuses": False, "slowest": True}
    requests_chart: dict = {}
    latency_chart: dict = {}

    async def _load(self) -> Any:
        health = await self._run(monitoring.service_health, self._window())
        words, f = self._words, self._words.formats
        self.requests = f.number(health.requests)
        self.error_rate = f.percent(health.error_rate, 2) if health.error_rate is not None else "—"
        self.p95 = words("monitoring.ms", value=f.number(health.p95, 1)) if health.p95 else "—"
        self.p99 = words("monitoring.ms", value=f.number(health.p99, 1)) if health.p99 else "—"
        self._set_table("statuses", _status_rows(words, health))
        self._set_table("slowest", _slowest_rows(words, health))
        self.requests_chart = requests_figure(words, health.requests_over_time, health.window)
        self.latency_chart = latency_figure(words, health.latency_over_time, health.window)
        return None


def _tables() -> rx.Component:
    return rx.grid(
        card(
            t("monitoring.errors_by_status"),
            rx.cond(
                ServiceHealthState.tables["statuses"].length() > 0,  # type: ignore[attr-defined]
                state_table(
                    ServiceHealthState,
                    "statuses",
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row["status"]), rx.table.cell(row["count"])
                    ),
                    "errors-table",
                    size="1",
                ),
                hint(t("monitoring.no_errors")),
            ),
        ),
        card(
            t("monitoring.slowest"),
            state_table(
                ServiceHealthState,
                "slowest",
                lambda row: rx.table.row(
                    rx.table.row_header_cell(
                        rx.link(
                            row["id"].to(str)[:8], href="/api/v1/predictions/" + row["id"].to(str)
                        )
                    ),
                    rx.table.cell(row["when"]),
                    rx.table.cell(row["channel"]),
                    rx.table.cell(row["latency"]),
                    rx.table.cell(row["status"]),
                ),
                "slowest-table",
                size="1",
            ),
        ),
        columns=rx.breakpoints(initial="1", lg="2"),
        gap="1em",
        width="100%",
    )


@rx.page(
    route=routes.MONITORING_SERVICE,
    title=page_title("monitoring.service_title"),
    on_load=ServiceHealthState.load,
)
def service_page() -> rx.Component:
    return monitoring_page(
        ServiceHealthState,
        routes.MONITORING_SERVICE,
        "service",
        stat_row(
            stat(t("monitoring.requests"), ServiceHealthState.requests, "requests"),
            stat(t("monitoring.error_rate"), ServiceHealthState.error_rate, "error-rate"),
            stat(t("monitoring.p95"), ServiceHealthState.p95, "p95"),
            stat(t("monitoring.p99"), ServiceHealthState.p99, "p99"),
        ),
        card(
            t("monitoring.requests_over_time"),
            chart(
                ServiceHealthState.requests_chart,
                t("monitoring.requests_over_time"),
                "requests-chart",
            ),
        ),
        card(
            t("monitoring.latency_over_time"),
            chart(
                ServiceHealthState.latency_chart,
                t("monitoring.latency_over_time"),
                "latency-chart",
            ),
        ),
        _tables(),
    )
