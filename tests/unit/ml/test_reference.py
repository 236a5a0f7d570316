"""Reference bins of numeric features: deciles, or one bin per value when values are few."""

from __future__ import annotations

import numpy as np
import pytest

from credit_app.ml.reference import bin_index, numeric_reference


def test_continuous_values_get_decile_bins() -> None:
    values = np.random.default_rng(0).normal(size=10_000)
    reference = numeric_reference(values)
    assert len(reference.edges) == 11 and reference.missing == 0
    assert reference.proportions == pytest.approx([0.1] * 10, abs=1e-3)


def test_a_flag_gets_a_bin_per_value_split_half_way() -> None:
    values = np.array([0.0] * 70 + [1.0] * 30 + [np.nan] * 100)
    reference = numeric_reference(values)
    assert reference.edges == [0.0, 0.5, 1.0]
    assert reference.proportions == [0.7, 0.3] and reference.missing == 0.5


def test_small_counts_get_a_bin_per_value() -> None:
    values = np.repeat([0.0, 1.0, 2.0, 4.0], [50, 30, 15, 5])
    reference = numeric_reference(values)
    assert reference.edges == [0.0, 0.5, 1.5, 3.0, 4.0]
    assert reference.proportions == [0.5, 0.3, 0.15, 0.05]
    np.testing.assert_array_equal(
        bin_index(np.array([0, 1, 2, 4, 9]), reference.edges), [0, 1, 2, 3, 3]
    )


def test_constant_and_empty_columns() -> None:
    constant = numeric_reference(np.ones(10))
    assert constant.edges == [1.0, 1.0] and constant.proportions == [1.0]
    empty = numeric_reference(np.full(4, np.nan))
    assert empty.edges == [] and empty.proportions == [] and empty.missing == 1
