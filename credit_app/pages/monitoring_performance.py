"""/monitoring/performance: how well the model did on the window's applications once their
outcomes are known, by application month (AUC with its interval against the model card's,
KS, decisions against outcomes, business cost, calibration by decile), and what its own
probabilities lead to expect before they are."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title
from credit_app.components.monitoring import level_callout, monitoring_page
from credit_app.components.tables import state_table
from credit_app.components.text import t
from credit_app.components.ui import card, hint, stat, stat_row
from credit_app.services import monitoring_performance
from credit_app.services.actors import Permission
from credit_app.state.monitoring_window import MonitoringWindowMixin
from credit_app.state.page import PageState
from credit_app.state.performance_figures import (
    auc_figure,
    calibration_figure,
    calibration_rows,
    estimate_row,
    month_row,
    not_enough_text,
    verdict,
)
from credit_app.state.session import SessionState
from credit_app.state.sorting import Columns, SortedTablesMixin

MONTH_COLUMNS: Columns = [
    ("month", "monitoring.performance_col_month"),
    ("n", "monitoring.performance_col_n"),
    ("defaults", "monitoring.performance_col_defaults"),
    ("awaiting", "monitoring.performance_col_awaiting"),
    ("auc", "monitoring.performance_col_auc"),
    ("below", "monitoring.performance_col_below"),
    ("ks", "monitoring.performance_col_ks"),
    ("tp", "monitoring.performance_col_tp"),
    ("fp", "monitoring.performance_col_fp"),
    ("tn", "monitoring.performance_col_tn"),
    ("fn", "monitoring.performance_col_fn"),
    ("cost", "monitoring.performance_col_cost"),
    ("calibration", "monitoring.performance_col_calibration"),
]
_MEASURED = len(MONTH_COLUMNS) - 4  # the columns a month without enough data leaves out
CALIBRATION_COLUMNS: Columns = [
    ("decile", "monitoring.performance_col_decile"),
    ("range", "monitoring.performance_col_pd_range"),
    ("n", "monitoring.performance_col_n"),
    ("defaults", "monitoring.performance_col_defaults"),
    ("predicted", "monitoring.performance_col_predicted"),
    ("observed", "monitoring.performance_col_observed"),
    ("p", "monitoring.performance_col_jeffreys"),
    ("light", "monitoring.performance_col_light"),
]
ESTIMATE_COLUMNS: Columns = [
    ("period", "monitoring.performance_col_period"),
    ("predictions", "monitoring.performance_col_predictions"),
    ("expected_rate", "monitoring.performance_col_expected_rate"),
    ("expected_auc", "monitoring.performance_col_expected_auc"),
    ("outcomes", "monitoring.performance_col_outcomes"),
    ("realised_rate", "monitoring.performance_col_realised_rate"),
    ("realised_auc", "monitoring.performance_col_realised_auc"),
]


class PerformanceState(SortedTablesMixin, MonitoringWindowMixin, PageState, SessionState):
    permission = Permission.view_monitoring
    with_outcome: str = ""
    defaults: str = ""
    awaiting: str = ""
    realised_auc: str = ""
    estimated_auc: str = ""
    verdict: str = ""
    verdict_level: str = ""
    table_columns: ClassVar[dict[str, Columns]] = {
        "months": MONTH_COLUMNS,
        "calibration": CALIBRATION_COLUMNS,
        "estimates": ESTIMATE_COLUMNS,
    }
    tables: dict[str, list[dict[str, Any]]] = {"months": [], "calibration": [], "estimates": []}
    sort_columns: dict[str, str] = {
        "months": "month",
        "calibration": "decile",
        "estimates": "period",
    }
    sort_descending: dict[str, bool] = {"months": False, "calibration": False, "estimates": False}
    overall: dict[str, Any] = {}
    auc_chart: dict = {}
    calibration_note: str = ""
    calibration_chart: dict = {}
    estimate_step: str = ""
    estimates_overall: dict[str, Any] = {}

    async def _load(self) -> Any:
        found = await self._run(
            monitoring_performance.performance, self._window(), self._services().models
        )
        words, f = self._words, self._words.formats
        need, overall = found.min_defaults, found.overall
        self.with_outcome = f.number(overall.n)
        self.defaults = f.number(overall.defaults)
        self.awaiting = f.number(overall.awaiting)
        realised = overall.realised
        self.realised_auc = f.number(realised.auc.auc, 3) if realised else "—"
        expected = found.estimated_overall.expected_auc
        self.estimated_auc = f.number(expected.auc, 3) if expected else "—"
        self.verdict, self.verdict_level = verdict(words, found)
        self._set_table("months", [month_row(words, month, need) for month in found.months])
        self.overall = month_row(words, overall, need)
        self.auc_chart = auc_figure(
            words, found.months, found.estimated, found.card_auc, found.window
        )
        bins = realised.calibration if realised else []
        self._set_table("calibration", calibration_rows(words, bins))
        self.calibration_chart = calibration_figure(words, bins) if bins else {}
        self.calibration_note = (
            "" if realised else not_enough_text(words, overall.n, overall.defaults, need)
        )
        self.estimate_step = found.estimate_step
        self._set_table(
            "estimates",
            [estimate_row(words, point, found.estimate_step, need) for point in found.estimated],
        )
        # The window as a whole: the last row of the estimates' table, however it is sorted.
        self.estimates_overall = estimate_row(
            words, found.estimated_overall, found.estimate_step, need
        ) | {"period": words("monitoring.performance_whole_window")}
        return None


def _against_card(row: rx.Var) -> rx.Component:
    """The one-sided test against the model card: flagged in words and colour."""
    return rx.cond(
        row["below_flag"],
        rx.badge(
            rx.icon("octagon-alert", size=14, aria_hidden="true"),
            row["below"],
            color_scheme="red",
            variant="solid",
        ),
        rx.text(row["below"], size="2"),
    )


def _month_row(row: rx.Var, total: bool = False) -> rx.Component:
    """A month (or the whole window): its counts, then its measures or why there are none."""
    cell = rx.table.cell
    return rx.table.row(
        rx.table.row_header_cell(row["month"], white_space="nowrap"),
        cell(row["n"]),
        cell(row["defaults"]),
        cell(row["awaiting"]),
        rx.cond(
            row["enough"],
            rx.fragment(
                cell(row["auc"], white_space="nowrap"),
                cell(_against_card(row)),
                cell(row["ks"]),
                cell(row["tp"]),
                cell(row["fp"]),
                cell(row["tn"]),
                cell(row["fn"]),
                cell(row["cost"]),
                cell(row["calibration"]),
            ),
            cell(hint(row["not_enough"]), col_span=_MEASURED),
        ),
        **({"font_weight": "600"} if total else {}),
    )


def _months_table() -> rx.Component:
    return state_table(
        PerformanceState,
        "months",
        lambda row: _month_row(row),
        "months-table",
        after=[_month_row(PerformanceState.overall, total=True)],
        size="1",
    )


def _light(row: rx.Var) -> rx.Component:
    """The Jeffreys test's light with its meaning in words."""

    def badge(icon: str, colour: str) -> rx.Component:
        return rx.badge(
            rx.icon(icon, size=14, aria_hidden="true"),
            row["verdict"],
            color_scheme=colour,
            variant="soft" if colour == "green" else "solid",
        )

    return rx.match(
        row["light"],
        ("green", badge("circle-check", "green")),
        ("amber", badge("triangle-alert", "amber")),
        badge("octagon-alert", "red"),
    )


def _calibration() -> rx.Component:
    return card(
        t("monitoring.performance_calibration"),
        hint(t("monitoring.performance_calibration_hint")),
        rx.cond(
            PerformanceState.tables["calibration"].length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                chart(
                    PerformanceState.calibration_chart,
                    t("monitoring.performance_calibration"),
                    "calibration-chart",
                ),
                state_table(
                    PerformanceState,
                    "calibration",
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row["decile"]),
                        rx.table.cell(row["range"], white_space="nowrap"),
                        rx.table.cell(row["n"]),
                        rx.table.cell(row["defaults"]),
                        rx.table.cell(row["predicted"]),
                        rx.table.cell(row["observed"]),
                        rx.table.cell(row["p"]),
                        rx.table.cell(_light(row)),
                    ),
                    "calibration-table",
                    size="1",
                ),
                spacing="3",
                width="100%",
            ),
            hint(PerformanceState.calibration_note, id="calibration-note"),
        ),
    )


def _estimate_row(row: rx.Var, total: bool = False) -> rx.Component:
    """A day or week (or the whole window): expected figures, then realised ones."""
    return rx.table.row(
        rx.table.row_header_cell(row["period"], white_space="nowrap"),
        *(rx.table.cell(row[key]) for key, _ in ESTIMATE_COLUMNS[1:]),
        **({"font_weight": "600"} if total else {}),
    )


def _estimates() -> rx.Component:
    return card(
        t("monitoring.performance_estimated"),
        rx.callout(
            t("monitoring.performance_assumption"),
            icon="info",
            color_scheme="gray",
            id="estimate-assumption",
            width="100%",
        ),
        hint(
            rx.match(
                PerformanceState.estimate_step,
                ("day", t("monitoring.performance_by_day")),
                t("monitoring.performance_by_week"),
            )
        ),
        state_table(
            PerformanceState,
            "estimates",
            lambda row: _estimate_row(row),
            "estimates-table",
            after=[_estimate_row(PerformanceState.estimates_overall, total=True)],
            size="1",
        ),
    )


@rx.page(
    route=routes.MONITORING_PERFORMANCE,
    title=page_title("monitoring.performance_title"),
    on_load=PerformanceState.load,
)
def performance_page() -> rx.Component:
    return monitoring_page(
        PerformanceState,
        routes.MONITORING_PERFORMANCE,
        "performance",
        stat_row(
            stat(
                t("monitoring.performance_with_outcome"),
                PerformanceState.with_outcome,
                "with-outcome",
            ),
            stat(t("monitoring.performance_defaults"), PerformanceState.defaults, "defaults"),
            stat(t("monitoring.performance_awaiting"), PerformanceState.awaiting, "awaiting"),
            stat(
                t("monitoring.performance_realised_auc"),
                PerformanceState.realised_auc,
                "realised-auc",
            ),
            stat(
                t("monitoring.performance_estimated_auc"),
                PerformanceState.estimated_auc,
                "estimated-auc",
            ),
        ),
        card(
            t("monitoring.performance_by_month"),
            hint(t("monitoring.performance_maturity_hint")),
            level_callout(
                PerformanceState.verdict, PerformanceState.verdict_level, "performance-verdict"
            ),
            _months_table(),
        ),
        card(
            t("monitoring.performance_auc_over_time"),
            hint(t("monitoring.performance_auc_hint")),
            chart(
                PerformanceState.auc_chart, t("monitoring.performance_auc_over_time"), "auc-chart"
            ),
        ),
        _calibration(),
        _estimates(),
    )
