"""Fairness of the decisions over a window: approval rate and disparate impact by gender,
age band and family status.

The decisions and approvals per combination of groups come from the hourly rollups
(`monitoring_rollups`, which read the three inputs once per prediction, in SQL): a few
dozen counts per hour whatever the traffic, and no applicant's values leave the database.
The statistics (intervals, verdicts) are `ml.performance`'s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from credit_app.ml import performance
from credit_app.ml.performance import MISSING, GroupApproval
from credit_app.services.actors import Actor, Permission
from credit_app.services.monitoring_rollups import (
    AGE_BAND,
    ATTRIBUTES,
    FAMILY_STATUS,
    GENDER,
    OTHER,
    Activity,
    Attribute,
    window_activity,
)
from credit_app.services.time_windows import Window

# The attributes are the rollups' (they count the groups); pages and the API take them here.
__all__ = [
    "AGE_BAND",
    "ATTRIBUTES",
    "FAMILY_STATUS",
    "GENDER",
    "OTHER",
    "Attribute",
    "AttributeFairness",
    "Fairness",
    "fairness",
]


@dataclass(frozen=True)
class AttributeFairness:
    """One attribute's groups, each judged against the reference: the group with the most
    decisions, whose approval rate is the most precise."""

    attribute: Attribute
    reference: str | None  # None: no decision in the window
    groups: list[GroupApproval]

    @property
    def flagged(self) -> int:
        return sum(group.flagged for group in self.groups)


@dataclass(frozen=True)
class Fairness:
    """The three attributes over one window, with the minimum that a verdict needs: the
    page and the API show the same figures."""

    window: Window
    decisions: int
    min_decisions: int
    attributes: list[AttributeFairness]


def _ordered(
    counts: Mapping[str, tuple[int, int]], order: tuple[str, ...] = ()
) -> dict[str, tuple[int, int]]:
    """Groups in `order` if given, else the most decisions first; missing values last."""
    position = {name: i for i, name in enumerate(order)}
    return dict(
        sorted(
            counts.items(),
            key=lambda item: (
                item[0] == MISSING,
                position.get(item[0], len(order)),
                -item[1][0],
                item[0],
            ),
        )
    )


def fairness(session: Session, actor: Actor, window: Window) -> Fairness:
    """Approval rate (95 % Wilson interval) and disparate impact (ratio to the largest
    group's approval rate, 95 % Katz interval) of each group of each attribute, with its
    verdict: flagged only when the ratio's interval clears the 0.8-1.25 edge it crossed,
    and only with at least `performance.MIN_DECISIONS` decisions in the group and the
    reference."""
    actor.require(Permission.view_monitoring)
    total = Activity()
    for found in window_activity(session, window).values():
        total.add(found)
    combinations = [(*groups, n, k) for groups, n, k in total.group_counts()]
    attributes = []
    for position, attribute in enumerate(ATTRIBUTES):
        totals: dict[str, tuple[int, int]] = {}
        for *groups, n, k in combinations:
            group = str(groups[position])
            seen_n, seen_k = totals.get(group, (0, 0))
            totals[group] = (seen_n + n, seen_k + k)
        counts = _ordered(totals, performance.AGE_BANDS if attribute is AGE_BAND else ())
        reference = performance.largest_group(counts)
        attributes.append(
            AttributeFairness(
                attribute=attribute,
                reference=reference,
                groups=performance.group_approvals(counts, reference),
            )
        )
    return Fairness(
        window=window,
        decisions=sum(n for *_, n, _ in combinations),
        min_decisions=performance.MIN_DECISIONS,
        attributes=attributes,
    )
