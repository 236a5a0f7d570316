"""The factors behind a score as reasons: the strongest raising and lowering the risk.

Their words come from the catalogue (`credit_app.i18n`); the reasons carry English text for
the API, and pages write them again in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from credit_app.i18n import Words

REASONS_PER_DIRECTION = 3
MIN_CONTRIBUTION = 1e-3  # log-odds; smaller effects are not worth a sentence


@dataclass
class Contribution:
    """One feature's TreeSHAP contribution (log-odds) and the applicant's value."""

    feature: str
    value: Any
    contribution: float


@dataclass
class Reason:
    """A readable factor behind a score."""

    feature: str
    label: str
    value_text: str
    direction: Literal["raises", "lowers"]
    contribution: float
    text: str


def build_reasons(
    contributions: Sequence[Contribution], per_direction: int = REASONS_PER_DIRECTION
) -> list[Reason]:
    """The top factors raising and then lowering the risk, largest first."""
    ranked = sorted(contributions, key=lambda c: -abs(c.contribution))
    raising = [c for c in ranked if c.contribution >= MIN_CONTRIBUTION][:per_direction]
    lowering = [c for c in ranked if c.contribution <= -MIN_CONTRIBUTION][:per_direction]
    return [_reason(c) for c in (*raising, *lowering)]


_ENGLISH = Words.of("en")


def _reason(item: Contribution) -> Reason:
    """One contribution as a sentence."""
    direction: Literal["raises", "lowers"] = "raises" if item.contribution > 0 else "lowers"
    return Reason(
        feature=item.feature,
        label=_ENGLISH.label(item.feature),
        value_text=_ENGLISH.value(item.feature, item.value),
        direction=direction,
        contribution=item.contribution,
        text=_ENGLISH.reason(item.feature, item.value, direction),
    )
