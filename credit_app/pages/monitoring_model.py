"""/monitoring/model: the model in service, in words: version, training, accuracy, threshold
and what it costs, and the features that weigh most."""

from __future__ import annotations

from typing import Any

import reflex as rx

from credit_app import routes
from credit_app.components.charts import chart
from credit_app.components.layout import page_title
from credit_app.components.monitoring import monitoring_page
from credit_app.components.text import t
from credit_app.components.ui import card
from credit_app.services import model_card
from credit_app.services.actors import Permission
from credit_app.state.monitoring_figures import importance_figure
from credit_app.state.page import PageState
from credit_app.state.session import SessionState


class ModelState(PageState, SessionState):
    permission = Permission.view_monitoring
    facts: list[dict[str, str]] = []
    importance_chart: dict = {}

    async def _load(self) -> Any:
        card_ = await self._run(model_card.public_card, self._services().models)
        words, f = self._words, self._words.formats
        metrics = card_.metrics
        self.facts = [
            {"label": words("monitoring.model_version"), "value": card_.version},
            {"label": words("monitoring.model_trained"), "value": f.datetime(card_.created_at)},
            {
                "label": words("monitoring.model_rows"),
                "value": words(
                    "monitoring.model_rows_value",
                    rows=f.number(card_.data.rows),
                    rate=f.percent(card_.data.default_rate),
                ),
            },
            {
                "label": words("monitoring.model_auc"),
                "value": words(
                    "monitoring.model_auc_value",
                    auc=f.number(metrics.auc, 3),
                    baseline=f.number(metrics.baseline_logistic_auc, 3),
                    folds=metrics.folds,
                ),
            },
            {
                "label": words("monitoring.model_threshold"),
                "value": words(
                    "monitoring.model_threshold_value",
                    threshold=f.percent(card_.threshold),
                    fn=f.number(card_.costs.fn, 1),
                    fp=f.number(card_.costs.fp, 1),
                ),
            },
            {
                "label": words("monitoring.model_cost"),
                "value": words(
                    "monitoring.model_cost_value",
                    cost=f.number(metrics.business_cost_per_applicant, 3),
                    at_half=f.number(metrics.business_cost_at_0_5 / card_.data.rows, 3),
                ),
            },
        ]
        self.importance_chart = importance_figure(words, card_.importance)
        return None


@rx.page(
    route=routes.MONITORING_MODEL,
    title=page_title("monitoring.model_title"),
    on_load=ModelState.load,
)
def model_page() -> rx.Component:
    return monitoring_page(
        ModelState,
        routes.MONITORING_MODEL,
        "model",
        card(
            t("monitoring.model_card"),
            rx.data_list.root(
                rx.foreach(
                    ModelState.facts,
                    lambda item: rx.data_list.item(
                        rx.data_list.label(item["label"], min_width="12em"),
                        rx.data_list.value(item["value"]),
                    ),
                ),
                id="model-card",
            ),
        ),
        card(
            t("monitoring.importance"),
            chart(ModelState.importance_chart, t("monitoring.importance"), "importance-chart"),
        ),
        with_window=False,
    )
