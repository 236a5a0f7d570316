"""Simulated applicants and their outcomes, for traffic sent through the API and demo history.

Applicants come from the synthetic generator with its true probability of default, so the
outcomes drawn here are what the generator itself says would happen: realised accuracy
measured on them can be checked against the generator, not only against the model.

A drift factor multiplies one application column's values, as a new loan product, an
inflation of amounts or a change in a form would. It changes what the model sees, not the
applicants' true risk (which the generator fixed before the factor is applied): monitoring
should see the inputs move and, when the column matters, the model's accuracy suffer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from credit_app.ml import synth
from credit_app.ml.schema import CATEGORIES, MAX_ID, RULES, TARGET_COLUMN

NO_DRIFT: Mapping[str, float] = MappingProxyType({})

#: Simulated runs take SK_ID_CURR from here up: far above the Home Credit files' ids
#: (100,002 to 456,255, the demo clients among them), so they never name a known client.
SIMULATED_FIRST_ID = 1_000_000_000
#: Each seed's run has this many ids of its own (at most this many applicants)...
RUN_IDS = 1_000_000
#: ... in one of this many slots (seed modulo RUN_SLOTS), all below the id column's limit.
RUN_SLOTS = 1_000
assert SIMULATED_FIRST_ID + RUN_SLOTS * RUN_IDS - 1 <= MAX_ID
_OUTCOME_STREAM = 0x0D1CE  # mixed into the seed of outcome draws


@dataclass(frozen=True)
class Simulated:
    """Applicants (SK_ID_CURR and the 120 application columns, no TARGET) and, row by row,
    their true probability of default."""

    applicants: pd.DataFrame
    probability: np.ndarray


def run_first_id(seed: int) -> int:
    """The first SK_ID_CURR of a simulated run: `SIMULATED_FIRST_ID + (seed mod RUN_SLOTS) x
    RUN_IDS`, so that runs with different seeds name different applicants."""
    return SIMULATED_FIRST_ID + (seed % RUN_SLOTS) * RUN_IDS


def check_drift(drift: Mapping[str, float]) -> None:
    """Raise ValueError, naming the column, unless every factor is positive and multiplies a
    numeric application column."""
    for column, factor in drift.items():
        if column in CATEGORIES:
            raise ValueError(f"{column} is a categorical column: only numeric ones can drift")
        if column not in RULES:
            raise ValueError(f"{column} is not an application column of the Home Credit format")
        if not factor > 0 or not np.isfinite(factor):  # NaN fails both comparisons
            raise ValueError(f"the factor of {column} must be a positive number, not {factor}")


def parse_drift(texts: Iterable[str]) -> dict[str, float]:
    """`FEATURE=FACTOR` texts (as a command line gives them) as a checked drift mapping."""
    drift: dict[str, float] = {}
    for text in texts:
        column, _, factor_text = (part.strip() for part in text.partition("="))
        try:
            factor: float | None = float(factor_text)
        except ValueError:
            factor = None
        if not column or factor is None:
            raise ValueError(f"expected FEATURE=FACTOR (e.g. AMT_CREDIT=1.3), not {text!r}")
        drift[column] = factor
    check_drift(drift)
    return drift


def simulated_applicants(
    rows: int,
    seed: int,
    *,
    drift: Mapping[str, float] = NO_DRIFT,
    first_id: int = SIMULATED_FIRST_ID,
) -> Simulated:
    """`rows` applicants from the generator, ids from `first_id` up, with the drift applied.

    A drifted value stays a valid application value: whole-number columns are rounded, the
    "not employed" marker of DAYS_EMPLOYED is kept, and values are held within the column's
    range. Otherwise the API would refuse them (422) and drift would show as errors instead
    of as applicants who look different."""
    check_drift(drift)
    if first_id < 1 or first_id + rows - 1 > MAX_ID:
        raise ValueError(f"ids {first_id} to {first_id + rows - 1} do not fit SK_ID_CURR")
    frame, probability = synth.generate_with_risk(rows, seed, first_id)
    applicants = frame.drop(columns=TARGET_COLUMN)
    for column, factor in drift.items():
        applicants[column] = _drifted(applicants[column], column, factor)
    return Simulated(applicants, probability)


def _drifted(values: pd.Series, column: str, factor: float) -> pd.Series:
    """`values` times `factor`, kept valid under the column's rule (missing stays missing)."""
    rule = RULES[column]
    original = values.to_numpy(dtype=float)
    moved = original * factor
    if rule.whole:
        moved = np.round(moved)
    moved = np.clip(moved, rule.low, rule.high)  # positive amounts stay positive
    if rule.also is not None:
        moved = np.where(original == rule.also, original, moved)
    out = pd.Series(moved, index=values.index, name=column)
    if pd.api.types.is_integer_dtype(values.dtype):
        return out.astype(values.dtype)
    return out


def draw_outcomes(probability: np.ndarray, seed: int) -> np.ndarray:
    """Whether each applicant defaults, drawn from their probability (a seeded Bernoulli).

    The draws come from a stream of their own: the generator's stream for the same seed made
    the applicants, and reusing it would tie the defaults to the draws behind their risk."""
    p = np.asarray(probability, dtype=float)
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("probabilities must be numbers from 0 to 1")
    drawn: np.ndarray = np.random.default_rng([seed, _OUTCOME_STREAM]).random(p.shape) < p
    return drawn
