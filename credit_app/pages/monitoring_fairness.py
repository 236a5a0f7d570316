"""/monitoring/fairness: approval rate and disparate impact by gender, age band and family
status, each group against the group with the most decisions, flagged only beyond noise;
each attribute's table sorts by its headers, on its own.

The state holds group aggregates only, already in words: no applicant's identifier or
values reach the browser."""

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
from credit_app.services import monitoring_fairness
from credit_app.services.actors import Permission
from credit_app.services.monitoring_fairness import AttributeFairness
from credit_app.state.fairness_figures import (
    VERDICT_ORDER,
    group_label,
    group_order,
    impact_figure,
)
from credit_app.state.monitoring_window import MonitoringWindowMixin
from credit_app.state.page import PageState
from credit_app.state.session import SessionState
from credit_app.state.sorting import SORT, Columns, SortedTablesMixin

#: The attributes by name: each has its own table of groups, which sorts on its own.
ATTRIBUTE_NAMES = tuple(attribute.name for attribute in monitoring_fairness.ATTRIBUTES)
GROUP_COLUMNS: Columns = [
    ("group", "monitoring.fairness_col_group"),
    ("decisions", "monitoring.fairness_col_decisions"),
    ("rate", "monitoring.fairness_col_rate"),
    ("ratio", "monitoring.fairness_col_ratio"),
    ("verdict", "monitoring.fairness_col_verdict"),
]


def _rows(words: Words, found: AttributeFairness) -> list[dict[str, Any]]:
    """One table row a group, in words: its counts, its rate and ratio with their intervals,
    and the values it sorts by."""
    f = words.formats
    rows = []
    for g in found.groups:
        ratio = "—" if g.impact_ratio is None else f.number(g.impact_ratio, 2)
        if g.impact_ratio is not None and g.impact_lower is not None:
            ratio = words(
                "monitoring.fairness_interval",
                value=ratio,
                low=f.number(g.impact_lower, 2),
                high=f.number(g.impact_upper or g.impact_ratio, 2),
            )
        rows.append(
            {
                "group": group_label(words, found.attribute, g.group),
                "decisions": f.number(g.n),
                "rate": words(
                    "monitoring.fairness_interval",
                    value=f.percent(g.rate),
                    low=f.percent(g.lower),
                    high=f.percent(g.upper),
                ),
                "ratio": ratio,
                "verdict": g.status,
                "verdict_text": words(f"monitoring.fairness_verdict_{g.status}"),
                SORT: {
                    "group": group_order(words, found.attribute, g.group),
                    "decisions": g.n,
                    "rate": g.rate,
                    "ratio": g.impact_ratio,
                    "verdict": VERDICT_ORDER.get(g.status),
                },
            }
        )
    return rows


def _reference(words: Words, found: AttributeFairness) -> str:
    reference = next((g for g in found.groups if g.status == "reference"), None)
    if reference is None:
        return words("monitoring.fairness_no_decisions")
    return words(
        "monitoring.fairness_reference",
        group=group_label(words, found.attribute, reference.group),
        n=reference.n,
    )


class FairnessState(SortedTablesMixin, MonitoringWindowMixin, PageState, SessionState):
    permission = Permission.view_monitoring
    decisions: str = ""
    flagged: str = ""
    within_noise: str = ""
    explanation: str = ""
    table_columns: ClassVar[dict[str, Columns]] = {name: GROUP_COLUMNS for name in ATTRIBUTE_NAMES}
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in ATTRIBUTE_NAMES}
    sort_columns: dict[str, str] = {name: "group" for name in ATTRIBUTE_NAMES}
    sort_descending: dict[str, bool] = {name: False for name in ATTRIBUTE_NAMES}
    gender_reference: str = ""
    gender_chart: dict = {}
    age_band_reference: str = ""
    age_band_chart: dict = {}
    family_status_reference: str = ""
    family_status_chart: dict = {}

    async def _load(self) -> Any:
        found = await self._run(monitoring_fairness.fairness, self._window())
        words, f = self._words, self._words.formats
        groups = [g for a in found.attributes for g in a.groups]
        self.decisions = f.number(found.decisions)
        self.flagged = f.number(sum(g.flagged for g in groups))
        self.within_noise = f.number(sum(g.status == "within_noise" for g in groups))
        self.explanation = words("monitoring.fairness_hint", min=found.min_decisions)
        by_name = {a.attribute.name: a for a in found.attributes}
        for name, attribute in by_name.items():
            self._set_table(name, _rows(words, attribute))
        gender = by_name[monitoring_fairness.GENDER.name]
        self.gender_reference = _reference(words, gender)
        self.gender_chart = impact_figure(words, gender)
        age = by_name[monitoring_fairness.AGE_BAND.name]
        self.age_band_reference = _reference(words, age)
        self.age_band_chart = impact_figure(words, age)
        family = by_name[monitoring_fairness.FAMILY_STATUS.name]
        self.family_status_reference = _reference(words, family)
        self.family_status_chart = impact_figure(words, family)
        return None


def _verdict_badge(verdict: rx.Var, text: rx.Var) -> rx.Component:
    """The verdict in words, with an icon and a colour (never the colour alone)."""

    def badge(icon: str, colour: str) -> rx.Component:
        return rx.badge(
            rx.icon(icon, size=14, aria_hidden="true"),
            text,
            color_scheme=colour,
            variant="soft",
            size="1",
        )

    return rx.match(
        verdict,
        ("flag_low", badge("circle-arrow-down", "red")),
        ("flag_high", badge("circle-arrow-up", "red")),
        ("within_noise", badge("waves", "amber")),
        ("ok", badge("circle-check", "green")),
        ("reference", badge("scale", "teal")),
        badge("circle-help", "gray"),
    )


def _attribute(name: str, reference: rx.Var, figure: rx.Var) -> rx.Component:
    """One attribute's card: its reference group, the table of groups and the ratio chart."""
    slug = name.replace("_", "-")
    return card(
        t(f"monitoring.fairness_by_{name}"),
        hint(reference, id=f"{slug}-reference"),
        rx.cond(
            FairnessState.tables[name].length() > 0,  # type: ignore[attr-defined]
            rx.vstack(
                state_table(
                    FairnessState,
                    name,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row["group"]),
                        rx.table.cell(row["decisions"]),
                        rx.table.cell(row["rate"]),
                        rx.table.cell(row["ratio"]),
                        rx.table.cell(_verdict_badge(row["verdict"], row["verdict_text"])),
                    ),
                    f"{slug}-table",
                    size="1",
                ),
                chart(figure, t("monitoring.fairness_chart"), f"{slug}-chart"),
                spacing="3",
                width="100%",
            ),
        ),
    )


@rx.page(
    route=routes.MONITORING_FAIRNESS,
    title=page_title("monitoring.fairness_title"),
    on_load=FairnessState.load,
)
def fairness_page() -> rx.Component:
    return monitoring_page(
        FairnessState,
        routes.MONITORING_FAIRNESS,
        "fairness",
        stat_row(
            stat(t("monitoring.decisions"), FairnessState.decisions, "decisions"),
            stat(t("monitoring.fairness_flagged"), FairnessState.flagged, "flagged"),
            stat(
                t("monitoring.fairness_within_noise_count"),
                FairnessState.within_noise,
                "within-noise",
            ),
        ),
        hint(FairnessState.explanation, id="fairness-explanation"),
        _attribute(
            "gender",
            FairnessState.gender_reference,
            FairnessState.gender_chart,
        ),
        _attribute(
            "age_band",
            FairnessState.age_band_reference,
            FairnessState.age_band_chart,
        ),
        _attribute(
            "family_status",
            FairnessState.family_status_reference,
            FairnessState.family_status_chart,
        ),
    )
