"""A scored applicant as a page shows it: decision, probability, gauge, waterfall, reasons."""

from __future__ import annotations

import reflex as rx

from credit_app.components.charts import gauge_figure, waterfall_figure
from credit_app.services.scoring import ScoreOutcome


class ScoreResultMixin(rx.State, mixin=True):
    """Vars of one score; only what the user may see (no inputs, no ids of other users)."""

    scored: bool = False
    decision: str = ""
    probability_text: str = ""
    threshold_text: str = ""
    model_version: str = ""
    gauge: dict = {}
    waterfall: dict = {}
    reasons: list[dict[str, str]] = []

    def _show(self, outcome: ScoreOutcome, reference: float | None = None) -> None:
        """Show a score; `reference` is a probability the gauge shows the change from."""
        self.scored = True
        self.decision = outcome.decision
        self.probability_text = f"{outcome.probability * 100:.1f} %"
        self.threshold_text = f"{outcome.threshold * 100:.1f} %"
        self.model_version = outcome.model_version
        self.gauge = gauge_figure(outcome.probability, outcome.threshold, reference)
        explanation = outcome.explanation
        if explanation is None:
            self.waterfall, self.reasons = {}, []
            return
        self.waterfall = waterfall_figure(
            explanation.base_value,
            [(c.feature, c.value, c.contribution) for c in explanation.contributions],
        )
        self.reasons = [{"text": r.text, "direction": r.direction} for r in explanation.reasons]
