"""Simulated applicants and outcomes: seeded, drifted as asked, refused clearly, and drawn
at the generator's own rate."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from credit_app.ml import simulation, synth
from credit_app.ml.loader import validate_applicant
from credit_app.ml.schema import APPLICATION_COLUMNS, DAYS_EMPLOYED_NOT_EMPLOYED, ID_COLUMN
from tests.unit.ml.conftest import as_record


def test_same_seed_same_applicants_and_probabilities() -> None:
    first = simulation.simulated_applicants(300, 4)
    again = simulation.simulated_applicants(300, 4)
    other = simulation.simulated_applicants(300, 5)
    pd.testing.assert_frame_equal(first.applicants, again.applicants)
    np.testing.assert_array_equal(first.probability, again.probability)
    assert not first.applicants.equals(other.applicants)
    assert first.applicants.columns.tolist() == [ID_COLUMN, *APPLICATION_COLUMNS]  # no TARGET
    assert first.applicants[ID_COLUMN].tolist() == list(range(1_000_000_000, 1_000_000_300))
    # The probabilities are the generator's, row for row.
    _, truth = synth.generate_with_risk(300, 4, simulation.SIMULATED_FIRST_ID)
    np.testing.assert_array_equal(first.probability, truth)


def test_a_factor_multiplies_its_column_only_and_keeps_values_valid() -> None:
    base = simulation.simulated_applicants(500, 8, first_id=7).applicants
    drift = {"AMT_CREDIT": 1.3, "DAYS_EMPLOYED": 2.0, "EXT_SOURCE_2": 1.5}
    moved = simulation.simulated_applicants(500, 8, drift=drift, first_id=7)
    shifted = moved.applicants
    np.testing.assert_allclose(shifted["AMT_CREDIT"], base["AMT_CREDIT"] * 1.3)
    employed = base["DAYS_EMPLOYED"] != DAYS_EMPLOYED_NOT_EMPLOYED
    expected = np.maximum(base.loc[employed, "DAYS_EMPLOYED"] * 2, -40_000)
    assert (shifted.loc[employed, "DAYS_EMPLOYED"] == expected).all()
    assert (shifted.loc[~employed, "DAYS_EMPLOYED"] == DAYS_EMPLOYED_NOT_EMPLOYED).all()
    assert shifted["DAYS_EMPLOYED"].dtype == base["DAYS_EMPLOYED"].dtype
    assert shifted["EXT_SOURCE_2"].max() == 1.0  # held within the score's range
    assert shifted["EXT_SOURCE_2"].isna().equals(base["EXT_SOURCE_2"].isna())
    untouched = [c for c in base.columns if c not in drift]
    pd.testing.assert_frame_equal(shifted[untouched], base[untouched])
    for _, row in shifted.head(100).iterrows():
        assert validate_applicant(as_record(row))[1] == []
    # The true risk is the applicants', not the drift's.
    np.testing.assert_array_equal(
        moved.probability, simulation.simulated_applicants(500, 8, first_id=7).probability
    )


@pytest.mark.parametrize(
    ("drift", "message"),
    [
        ({"CODE_GENDER": 1.2}, "CODE_GENDER is a categorical column"),
        ({"NOT_A_COLUMN": 1.2}, "NOT_A_COLUMN is not an application column"),
        ({"TARGET": 1.2}, "TARGET is not an application column"),
        ({"AMT_CREDIT": 0.0}, "the factor of AMT_CREDIT must be a positive number"),
        ({"AMT_CREDIT": -1.0}, "the factor of AMT_CREDIT must be a positive number"),
        ({"AMT_CREDIT": math.nan}, "the factor of AMT_CREDIT must be a positive number"),
    ],
)
def test_a_bad_drift_names_its_column(drift: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simulation.simulated_applicants(10, 1, drift=drift)


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["AMT_CREDIT"], "expected FEATURE=FACTOR"),
        (["AMT_CREDIT=lots"], "expected FEATURE=FACTOR"),
        (["=1.3"], "expected FEATURE=FACTOR"),
        (["OCCUPATION_TYPE=2"], "OCCUPATION_TYPE is a categorical column"),
        (["AMT_CREDIT=nan"], "the factor of AMT_CREDIT"),
    ],
)
def test_command_line_drift_texts(texts: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simulation.parse_drift(texts)


def test_command_line_drift_is_parsed() -> None:
    parsed = simulation.parse_drift(["AMT_CREDIT=1.3", " EXT_SOURCE_3 = 0.8 "])
    assert parsed == {"AMT_CREDIT": 1.3, "EXT_SOURCE_3": 0.8}


def test_run_ids_differ_by_seed_and_fit_the_id_column() -> None:
    firsts = {simulation.run_first_id(seed) for seed in range(simulation.RUN_SLOTS)}
    assert len(firsts) == simulation.RUN_SLOTS
    assert min(firsts) > 456_255  # above every Home Credit id, the demo clients' too
    assert max(firsts) + simulation.RUN_IDS - 1 <= 2**31 - 1
    with pytest.raises(ValueError, match="do not fit SK_ID_CURR"):
        simulation.simulated_applicants(10, 1, first_id=2**31 - 5)


def test_outcome_rate_is_the_mean_probability() -> None:
    probability = simulation.simulated_applicants(20_000, 12).probability
    drawn = simulation.draw_outcomes(probability, seed=12)  # the applicants' seed too
    assert drawn.dtype == bool and drawn.shape == probability.shape
    np.testing.assert_array_equal(drawn, simulation.draw_outcomes(probability, seed=12))
    assert not np.array_equal(drawn, simulation.draw_outcomes(probability, seed=13))
    # The count of defaults is a sum of Bernoulli draws: within 4 standard deviations.
    sigma = math.sqrt(float((probability * (1 - probability)).sum()))
    assert abs(int(drawn.sum()) - float(probability.sum())) < 4 * sigma
    # Riskier applicants default more often.
    risky = probability > np.quantile(probability, 0.9)
    assert drawn[risky].mean() > 2 * drawn[~risky].mean()


def test_outcomes_need_probabilities() -> None:
    with pytest.raises(ValueError, match="from 0 to 1"):
        simulation.draw_outcomes(np.array([0.2, 1.5]), seed=1)
    with pytest.raises(ValueError, match="from 0 to 1"):
        simulation.draw_outcomes(np.array([np.nan]), seed=1)
