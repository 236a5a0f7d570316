"""/monitoring/drift: does each feature of this window's applicants still look like the
training data? One row per feature, the drift that matters first; a click on a feature
shows both distributions; the table as CSV and the page as an HTML report."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title
from credit_app.components.monitoring import level_badge, level_callout, monitoring_page
from credit_app.components.tables import state_table
from credit_app.components.text import t
from credit_app.components.ui import card, hint, stat, stat_row
from credit_app.services import monitoring_drift
from credit_app.services.actors import Permission
from credit_app.services.models import ModelStore
from credit_app.state import drift_view
from credit_app.state.monitoring_window import MonitoringWindowMixin
from credit_app.state.page import PageState, page_event
from credit_app.state.session import SessionState
from credit_app.state.sorting import Columns, SortedTablesMixin


class DriftState(SortedTablesMixin, MonitoringWindowMixin, PageState, SessionState):
    permission = Permission.view_monitoring
    predictions: str = ""
    drifted: str = ""
    drifted_importance: str = ""
    summary: str = ""
    level: str = ""
    score_verdict: str = ""
    score_level: str = ""
    table_columns: ClassVar[dict[str, Columns]] = {
        "features": [(c, f"monitoring.drift_column_{c}") for c in drift_view.COLUMNS]
    }
    tables: dict[str, list[dict[str, Any]]] = {"features": []}
    sort_columns: dict[str, str] = {"features": "rank"}
    sort_descending: dict[str, bool] = {"features": False}
    selected: str = ""
    selected_name: str = ""
    distribution_chart: dict = {}
    # The window's counts per bin (backend only): a click draws a feature from them.
    _counts: dict[str, list[int]] = {}

    async def _found(self) -> monitoring_drift.DataDrift:
        return await self._run(monitoring_drift.data_drift, self._window(), self._models())

    def _models(self) -> ModelStore:
        return self._services().models

    async def _load(self) -> Any:
        found = await self._found()
        words, f = self._words, self._words.formats
        report = found.features
        self.predictions = f.number(report.n)
        count = sum(row.drifted for row in report.rows)
        self.drifted = words("monitoring.drift_count", count=count, total=len(report.rows))
        self.drifted_importance = f.percent(report.drifted_importance_share)
        self.summary = drift_view.summary(words, found)
        self.level = report.level if report.enough_data else "none"
        self.score_level = drift_view.level_of(found.score)
        self.score_verdict = drift_view.score_verdict(words, found.score)
        self._set_table("features", drift_view.table_rows(words, found))
        self._counts = found.counts
        first = report.rows[0].feature if report.rows else ""
        self._show(first)
        return None

    def _show(self, feature: str) -> None:
        if not feature or feature not in self._counts:
            return
        shown = monitoring_drift.distribution(self._counts, self._models(), feature)
        self.selected = feature
        self.selected_name = self._words.name(feature)
        self.distribution_chart = drift_view.distribution_figure(self._words, shown)

    @page_event
    async def select(self, feature: str):  # type: ignore[no-untyped-def]
        """A row's feature: its training and window distributions, overlaid."""
        (await self._checked_actor()).require(self.permission)
        self._show(str(feature))

    def _file_name(self, extension: str) -> str:
        window = self._window()
        return f"drift-{window.start:%Y%m%d}-{window.end:%Y%m%d}.{extension}"

    @page_event
    async def download_csv(self):  # type: ignore[no-untyped-def]
        """The table of this window as a CSV file (read again: what is true now)."""
        found = await self._found()
        text = drift_view.export_csv(self._words, found)
        return rx.download(data=text, filename=self._file_name("csv"), mime_type="text/csv")

    @page_event
    async def download_report(self):  # type: ignore[no-untyped-def]
        """The whole page as one self-contained HTML file."""
        found = await self._found()
        models = self._models()
        # Every drifted feature, then the most important others, up to REPORT_CHARTS.
        drifted = [row.feature for row in found.features.rows if row.drifted]
        others = [row.feature for row in found.features.rows if not row.drifted]
        chosen = (drifted + others)[: max(drift_view.REPORT_CHARTS, len(drifted))]
        shown = [monitoring_drift.distribution(found.counts, models, f) for f in chosen]
        f = self._words.formats
        window_text = self._words(
            "monitoring.drift_window",
            start=f.datetime(found.window.start),
            end=f.datetime(found.window.end),
        )
        text = drift_view.export_html(self._words, found, shown, window_text)
        return rx.download(data=text, filename=self._file_name("html"), mime_type="text/html")


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["rank"]),
        rx.table.row_header_cell(
            rx.link(
                row["name"],
                href="#distribution",
                on_click=DriftState.select(row["feature"]),
                weight=rx.cond(DriftState.selected == row["feature"], "bold", "regular"),
            )
        ),
        rx.table.cell(row["psi"]),
        rx.table.cell(row["noise"]),
        rx.table.cell(row["distance"]),
        rx.table.cell(row["missing"]),
        rx.table.cell(row["unseen"]),
        rx.table.cell(row["importance"]),
        rx.table.cell(
            rx.vstack(
                level_badge(row["level"], row["level_text"]),
                rx.text(row["verdict"], size="1"),
                spacing="1",
            ),
            min_width="16em",
        ),
    )


@rx.page(
    route=routes.MONITORING_DRIFT,
    title=page_title("monitoring.drift_title"),
    on_load=DriftState.load,
)
def drift_page() -> rx.Component:
    return monitoring_page(
        DriftState,
        routes.MONITORING_DRIFT,
        "drift",
        level_callout(DriftState.summary, DriftState.level, "drift-verdict"),
        stat_row(
            stat(t("monitoring.drift_predictions"), DriftState.predictions, "drift-predictions"),
            stat(t("monitoring.drift_drifted"), DriftState.drifted, "drifted-features"),
            stat(
                t("monitoring.drift_drifted_importance"),
                DriftState.drifted_importance,
                "drifted-importance",
            ),
        ),
        card(
            t("monitoring.drift_score"),
            level_callout(DriftState.score_verdict, DriftState.score_level, "score-verdict"),
        ),
        card(
            t("monitoring.drift_distribution"),
            hint(t("monitoring.drift_distribution_hint")),
            chart(DriftState.distribution_chart, DriftState.selected_name, "distribution"),
        ),
        card(
            t("monitoring.drift_table"),
            hint(t("monitoring.drift_table_hint")),
            rx.hstack(
                rx.button(
                    rx.icon("download", size=16, aria_hidden="true"),
                    t("monitoring.drift_download_csv"),
                    on_click=DriftState.download_csv,
                    variant="soft",
                    id="download-csv",
                ),
                rx.button(
                    rx.icon("file-text", size=16, aria_hidden="true"),
                    t("monitoring.drift_download_report"),
                    on_click=DriftState.download_report,
                    variant="soft",
                    id="download-report",
                ),
                spacing="3",
                wrap="wrap",
            ),
            state_table(DriftState, "features", _row, "drift-table", size="1"),
        ),
    )
