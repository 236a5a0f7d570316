"""A scored applicant as a page shows it: decision, probability, gauge, waterfall, reasons."""

from __future__ import annotations

import reflex as rx

from credit_app.i18n import Words
from credit_app.services.scoring import ScoreOutcome
from credit_app.state.figures import gauge_figure, waterfall_figure


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

    def _show_score(
        self, words: Words, outcome: ScoreOutcome, reference: float | None = None
    ) -> None:
        """Show a score; `reference` is a probability the gauge shows the change from."""
        self.scored = True
        self.decision = outcome.decision
        self.probability_text = words.formats.percent(outcome.probability)
        self.threshold_text = words.formats.percent(outcome.threshold)
        self.model_version = outcome.model_version
        self.gauge = gauge_figure(words, outcome.probability, outcome.threshold, reference)
        explanation = outcome.explanation
        if explanation is None:
            self.waterfall, self.reasons = {}, []
            return
        self.waterfall = waterfall_figure(
            words,
            explanation.base_value,
            [(c.feature, c.value, c.contribution) for c in explanation.contributions],
        )
        values = {c.feature: c.value for c in explanation.contributions}
        self.reasons = [
            {
                "text": words.reason(r.feature, values.get(r.feature), r.direction),
                "direction": r.direction,
            }
            for r in explanation.reasons
        ]
