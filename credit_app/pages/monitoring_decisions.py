"""/monitoring/decisions: approval rate over time by channel with its 3-sigma band, and the
score distribution of the window against the training's, with its PSI and the PSI that
sampling noise alone reaches for this many decisions."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title
from credit_app.components.monitoring import level_callout, monitoring_page
from credit_app.components.text import t
from credit_app.components.ui import card, hint, stat, stat_row
from credit_app.services import monitoring
from credit_app.services.actors import Permission
from credit_app.state import drift_view
from credit_app.state.monitoring_figures import approval_figure, score_distribution_figure
from credit_app.state.monitoring_window import MonitoringWindowMixin
from credit_app.state.page import PageState
from credit_app.state.session import SessionState


class DecisionsState(MonitoringWindowMixin, PageState, SessionState):
    permission = Permission.view_monitoring
    decisions: str = ""
    approval_rate: str = ""
    score_psi: str = ""
    psi_verdict: str = ""
    psi_level: str = ""
    outside_days: str = ""
    approval_chart: dict = {}
    score_chart: dict = {}

    async def _load(self) -> Any:
        found = await self._run(monitoring.decisions, self._window(), self._services().models)
        words, f = self._words, self._words.formats
        self.decisions = f.number(found.decisions)
        rate = found.approval_rate
        self.approval_rate = f.percent(rate) if rate is not None else "—"
        self.outside_days = words(
            "monitoring.outside_band", count=sum(d.outside for d in found.approvals)
        )
        score = found.score
        self.score_psi = f.number(score.psi, 3) if score.n else "—"
        # Too few decisions is not a clean bill of health: said in grey, not green; the
        # verdict says why in words: not enough data, within noise, small, or drifted.
        self.psi_level = drift_view.level_of(score)
        self.psi_verdict = drift_view.score_verdict(words, score)
        self.approval_chart = approval_figure(words, found.approvals, found.window)
        self.score_chart = score_distribution_figure(
            words, found.score_edges, found.score_shares, found.reference_shares
        )
        return None


@rx.page(
    route=routes.MONITORING_DECISIONS,
    title=page_title("monitoring.decisions_title"),
    on_load=DecisionsState.load,
)
def decisions_page() -> rx.Component:
    return monitoring_page(
        DecisionsState,
        routes.MONITORING_DECISIONS,
        "decisions",
        stat_row(
            stat(t("monitoring.decisions"), DecisionsState.decisions, "decisions"),
            stat(
                t("monitoring.approval_rate"),
                DecisionsState.approval_rate,
                "approval-rate",
            ),
            stat(t("monitoring.score_psi"), DecisionsState.score_psi, "score-psi"),
        ),
        card(
            t("monitoring.approval_over_time"),
            hint(t("monitoring.band_hint")),
            hint(DecisionsState.outside_days, id="outside-days"),
            chart(
                DecisionsState.approval_chart,
                t("monitoring.approval_over_time"),
                "approval-chart",
            ),
        ),
        card(
            t("monitoring.score_distribution"),
            level_callout(DecisionsState.psi_verdict, DecisionsState.psi_level, "psi-verdict"),
            chart(
                DecisionsState.score_chart,
                t("monitoring.score_distribution"),
                "score-chart",
            ),
        ),
    )
