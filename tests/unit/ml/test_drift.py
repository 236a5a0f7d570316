"""Drift statistics: binning, PSI and its noise level, effect sizes and the verdict per feature."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from scipy.stats import wasserstein_distance

from credit_app.ml import drift, synth
from credit_app.ml.card import CategoricalReference, NumericReference, Reference
from credit_app.ml.features import (
    DERIVED_FEATURES,
    DERIVED_FROM,
    FEATURE_INDEX,
    FEATURE_NAMES,
    frame_features,
)
from credit_app.ml.reference import build_reference
from credit_app.ml.schema import APPLICATION_COLUMNS, CATEGORIES

REFERENCE_ROWS = 20_000
UNIFORM = dict.fromkeys(FEATURE_NAMES, 1.0)


def _scores(matrix: np.ndarray) -> np.ndarray:
    """A stand-in for the model: riskier as the external scores fall."""
    ext = np.nan_to_num(matrix[:, FEATURE_INDEX["EXT_SOURCE_MEAN"]], nan=0.5)
    return np.asarray(expit(-2.5 - 6 * (ext - 0.5)))


@pytest.fixture(scope="module")
def training() -> np.ndarray:
    """Feature matrix of 20,000 synthetic training rows."""
    return frame_features(synth.generate(REFERENCE_ROWS, seed=1))


@pytest.fixture(scope="module")
def reference(training: np.ndarray) -> Reference:
    """The card's reference section, built by the training code itself."""
    return build_reference(training, _scores(training))


def _shifted(rows: int, seed: int) -> pd.DataFrame:
    """Applicants whose incomes grew by 80 % and whose EXT_SOURCE_2 fell by 0.2."""
    frame = synth.generate(rows, seed=seed)
    frame["AMT_INCOME_TOTAL"] = frame["AMT_INCOME_TOTAL"] * 1.8
    frame["EXT_SOURCE_2"] = (frame["EXT_SOURCE_2"] - 0.2).clip(0, 1)
    return frame


def _assess(reference: Reference, frame: pd.DataFrame) -> drift.DriftReport:
    counts = drift.count_matrix(frame_features(frame), reference.features)
    return drift.assess(reference.features, counts, UNIFORM, REFERENCE_ROWS)


def _flagged(report: drift.DriftReport) -> set[str]:
    return {row.feature for row in report.rows if row.drifted}


# Verdicts on synthetic applicants


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_stable_applicants_raise_no_flag(reference: Reference, seed: int) -> None:
    report = _assess(reference, synth.generate(1000, seed=seed))
    assert _flagged(report) == set()
    assert report.level == "ok" and report.drifted_share == 0 and report.enough_data
    assert len(report.rows) == len(FEATURE_NAMES)
    assert {row.reason_code for row in report.rows} <= {"stable", "within_noise", "small_effect"}


def test_two_shifted_columns_are_flagged_and_derived_features_name_them(
    reference: Reference,
) -> None:
    """Derived features move with their sources: reported, but marked "derived"."""
    report = _assess(reference, _shifted(1000, seed=2))
    flagged = _flagged(report)
    assert flagged & set(APPLICATION_COLUMNS) == {"AMT_INCOME_TOTAL", "EXT_SOURCE_2"}
    assert flagged - set(APPLICATION_COLUMNS) == {
        "CREDIT_INCOME_RATIO",
        "ANNUITY_INCOME_RATIO",
        "EXT_SOURCE_MEAN",
    }
    rows = {row.feature: row for row in report.rows}
    for name in ("AMT_INCOME_TOTAL", "EXT_SOURCE_2"):
        assert rows[name].level == "act" and rows[name].reason_code == "distribution"
        assert rows[name].q_value <= drift.ALPHA and rows[name].psi > rows[name].psi_critical
    for name in flagged - set(APPLICATION_COLUMNS):
        assert rows[name].reason_code == "derived"
        assert set(rows[name].derived_from) & {"AMT_INCOME_TOTAL", "EXT_SOURCE_2"}
    assert rows["AMT_INCOME_TOTAL"].distance_test == "wasserstein_norm"
    assert rows["AMT_INCOME_TOTAL"].distance > 1
    assert report.drifted_share == pytest.approx(5 / len(FEATURE_NAMES))
    assert report.level == "act"


def test_derived_features_name_the_columns_they_come_from() -> None:
    assert set(DERIVED_FROM) == set(DERIVED_FEATURES)
    for sources in DERIVED_FROM.values():
        assert sources and set(sources) <= set(APPLICATION_COLUMNS)
    assert DERIVED_FROM["CREDIT_INCOME_RATIO"] == ("AMT_CREDIT", "AMT_INCOME_TOTAL")


def test_small_windows_do_not_flag(reference: Reference) -> None:
    report = _assess(reference, _shifted(50, seed=5))
    assert not report.enough_data and report.n == 50
    assert _flagged(report) == set() and report.level == "ok"
    assert {row.reason_code for row in report.rows} == {"not_enough_data"}
    # the statistics are still shown: the shift is plain even if too few rows to act on
    assert max(report.rows, key=lambda row: row.psi).feature in {"AMT_INCOME_TOTAL", "EXT_SOURCE_2"}


def test_an_empty_window_is_not_enough_data(reference: Reference) -> None:
    counts = {
        name: np.zeros(len(drift.reference_shares(ref, name)), dtype=np.int64)
        for name, ref in reference.features.items()
    }
    report = drift.assess(reference.features, counts, UNIFORM, REFERENCE_ROWS)
    assert report.n == 0 and not report.enough_data and report.drifted_share == 0
    assert all(row.psi == 0 and row.p_value == 1 for row in report.rows)


def test_a_binary_flag_can_drift(reference: Reference) -> None:
    """0/1 flags get a bin per value in the reference, so a change of rate is seen."""
    frame = synth.generate(1000, seed=6)
    frame["FLAG_PHONE"] = (np.random.default_rng(0).random(1000) < 0.6).astype(np.int64)
    report = _assess(reference, frame)
    assert _flagged(report) == {"FLAG_PHONE"}


def test_rows_rank_by_drift_times_importance(reference: Reference) -> None:
    counts = drift.count_matrix(frame_features(_shifted(1000, seed=2)), reference.features)
    importance = {**UNIFORM, "EXT_SOURCE_2": 10.0, "AMT_INCOME_TOTAL": 0.1}
    report = drift.assess(reference.features, counts, importance, REFERENCE_ROWS)
    keys = [row.psi * row.importance for row in report.rows]
    assert keys == sorted(keys, reverse=True)
    assert report.rows[0].feature == "EXT_SOURCE_2"
    total = sum(importance.values())
    drifted = sum(row.importance for row in report.rows if row.drifted)
    assert report.drifted_importance_share == pytest.approx(drifted / total)


# Levels and reasons on hand-made bins


TEN_BINS = NumericReference(
    edges=[float(i) for i in range(11)], proportions=[0.1] * 10, missing=0.0
)


def _one_feature(counts: list[int], min_rows: int = drift.MIN_ROWS) -> drift.FeatureDrift:
    report = drift.assess(
        {"X": TEN_BINS}, {"X": np.array(counts)}, {"X": 1.0}, 50_000, min_rows=min_rows
    )
    return report.rows[0]


@pytest.mark.parametrize(
    ("counts", "level", "reason"),
    [
        # PSI 0.22, far beyond noise at 5,000 rows: watch
        ([750] * 4 + [500] * 2 + [250] * 4 + [0], "watch", "distribution"),
        # PSI about 1.3: act
        ([1500] * 3 + [50] * 7 + [0], "act", "distribution"),
        # a fifth of the rows now missing
        ([400] * 10 + [1000], "act", "missing_rate"),
        # beyond noise at 100,000 rows but far too small to matter
        ([10_300] * 5 + [9_700] * 5 + [0], "ok", "small_effect"),
    ],
)
def test_levels_and_reasons(counts: list[int], level: str, reason: str) -> None:
    row = _one_feature(counts)
    assert (row.level, row.reason_code, row.drifted) == (level, reason, level != "ok")


def test_a_large_psi_within_sampling_noise_is_not_flagged() -> None:
    row = _one_feature([8, 8, 8, 8, 4, 4, 2, 2, 3, 3, 0], min_rows=0)
    assert row.psi >= drift.PSI_WATCH and row.p_value > drift.ALPHA
    assert row.reason_code == "within_noise" and not row.drifted


def test_unseen_categories_are_the_reason_when_they_dominate() -> None:
    feature = "NAME_CONTRACT_TYPE"
    reference = CategoricalReference(
        frequencies={"Cash loans": 0.9, "Revolving loans": 0.1}, missing=0.0
    )
    counts = np.array([700, 100, 200, 0])  # cash, revolving, unseen, missing
    report = drift.assess({feature: reference}, {feature: counts}, {feature: 1.0}, 50_000)
    row = report.rows[0]
    assert row.drifted and row.reason_code == "unseen_categories"
    assert row.unseen_share == pytest.approx(0.2) and row.distance_test == "jensen_shannon"


# PSI and its noise level


def test_psi_critical_matches_the_guide() -> None:
    """99th percentile of noise with 10 bins: 21.67 (1/n + 1/m), 0.11 at 200 rows, 0.02 at 1,000."""
    assert drift.psi_critical(200, 50_000, 10) == pytest.approx(0.11, abs=0.005)
    assert drift.psi_critical(1000, 50_000, 10) == pytest.approx(0.02, abs=0.003)
    scale = 1 / 1000 + 1 / 50_000
    assert drift.psi_critical(1000, 50_000, 10) / scale == pytest.approx(21.67, abs=0.01)
    assert drift.psi_p_value(drift.psi_critical(1000, 50_000, 10), 1000, 50_000, 10) == (
        pytest.approx(0.01)
    )
    assert drift.psi_critical(1000, 50_000, 1) == 0 and drift.psi_p_value(0.5, 1000, 50_000, 1) == 1


def test_psi_critical_is_the_noise_level_in_simulation() -> None:
    """Two samples of one population exceed the critical PSI about 1 % of the time."""
    rng = np.random.default_rng(7)
    n, m, bins, trials = 1000, 50_000, 10, 4000
    truth = np.full(bins, 1 / bins)
    references = rng.multinomial(m, truth, size=trials) / m
    currents = rng.multinomial(n, truth, size=trials)
    values = np.array([drift.psi(e, a) for e, a in zip(references, currents, strict=True)])
    assert np.mean(values > drift.psi_critical(n, m, bins)) == pytest.approx(0.01, abs=0.006)
    assert np.quantile(values, 0.99) == pytest.approx(drift.psi_critical(n, m, bins), rel=0.15)


def test_psi_is_zero_for_identical_shares_and_finite_for_empty_bins() -> None:
    expected = np.array([0.25, 0.25, 0.5, 0.0])
    assert drift.psi(expected, np.array([250, 250, 500, 0])) == pytest.approx(0, abs=1e-5)
    new_bin = drift.psi(expected, np.array([250, 250, 490, 10]))
    assert 0 < new_bin < 0.1 and np.isfinite(new_bin)
    # bins empty on both sides change nothing
    padded = drift.psi(np.append(expected, 0.0), np.array([250, 250, 490, 10, 0]))
    assert padded == pytest.approx(new_bin)
    assert drift.psi(expected, np.zeros(4)) == 0


# Binning


def test_counts_of_the_training_rows_give_back_the_reference_shares(
    reference: Reference, training: np.ndarray
) -> None:
    counts = drift.count_matrix(training, reference.features)
    for name, feature in reference.features.items():
        shares = drift.reference_shares(feature, name)
        assert counts[name].shape == shares.shape
        assert counts[name].sum() == REFERENCE_ROWS
        np.testing.assert_allclose(counts[name] / REFERENCE_ROWS, shares, atol=2e-6, err_msg=name)


def test_numeric_bins_are_open_at_both_ends_and_missing_comes_last() -> None:
    reference = NumericReference(edges=[0.0, 1.0, 2.0, 3.0], proportions=[0.3] * 3, missing=0.1)
    values = np.array([-100.0, 0.0, 0.5, 1.0, 2.5, 3.0, 1e9, np.nan, np.nan])
    # a value on an inner edge belongs to the bin above, as in the reference
    np.testing.assert_array_equal(drift.bin_counts(values, reference, "X"), [3, 1, 3, 2])
    np.testing.assert_allclose(drift.reference_shares(reference, "X"), [0.27] * 3 + [0.1])


def test_all_missing_values_and_references() -> None:
    reference = NumericReference(edges=[0.0, 1.0, 2.0], proportions=[0.5, 0.5], missing=0.0)
    counts = drift.bin_counts(np.full(5, np.nan), reference, "X")
    np.testing.assert_array_equal(counts, [0, 0, 5])
    assert drift.missing_rate_change(reference, counts) == 1
    assert drift.wasserstein_norm(reference, counts) == 0
    never_seen = NumericReference(edges=[], proportions=[], missing=1.0)
    np.testing.assert_array_equal(drift.reference_shares(never_seen, "X"), [0.0, 1.0])
    np.testing.assert_array_equal(
        drift.bin_counts(np.array([1.0, np.nan, 7.0]), never_seen, "X"), [2, 1]
    )


def test_categorical_bins_follow_the_vocabulary_then_unseen_then_missing() -> None:
    feature = "NAME_CONTRACT_TYPE"
    assert CATEGORIES[feature] == ["Cash loans", "Revolving loans"]
    reference = CategoricalReference(frequencies={"Revolving loans": 0.2}, missing=0.8)
    codes = np.array([0, 1, 1, 2, -1, 0.5, 99, np.nan])
    counts = drift.bin_counts(codes, reference, feature)
    np.testing.assert_array_equal(counts, [1, 2, 4, 1])
    np.testing.assert_allclose(drift.reference_shares(reference, feature), [0, 0.2, 0, 0.8])
    assert drift.unseen_share(reference, counts) == pytest.approx(0.5)
    assert drift.missing_rate_change(reference, counts) == pytest.approx(1 / 8 - 0.8)
    assert drift.unseen_share(TEN_BINS, np.ones(11)) is None


def test_score_counts_use_the_score_histogram(reference: Reference) -> None:
    scores = reference.oof_scores
    counts = drift.score_counts(np.array([0.0, 0.02, 0.05, 0.5, 0.999, 1.0]), scores)
    assert counts.sum() == 6 and len(counts) == len(scores.proportions)
    assert counts[0] == 2 and counts[1] == 1 and counts[-1] == 2


# Effect sizes


def test_wasserstein_norm_matches_scipy_on_mid_points() -> None:
    reference = NumericReference(
        edges=[0.0, 1.0, 2.0, 5.0, 9.0], proportions=[0.1, 0.4, 0.3, 0.2], missing=0.1
    )
    counts = np.array([5, 1, 7, 9, 3])
    points = np.array([0.5, 1.5, 3.5, 7.0])
    weights = np.array(reference.proportions)
    std = np.sqrt(np.cov(points, aweights=weights, ddof=0))
    expected = wasserstein_distance(points, points, weights, counts[:-1]) / std
    assert drift.wasserstein_norm(reference, counts) == pytest.approx(expected)
    same = np.array([10, 40, 30, 20, 0])
    assert drift.wasserstein_norm(reference, same) == pytest.approx(0, abs=1e-12)


def test_jensen_shannon_is_a_bounded_distance() -> None:
    assert drift.jensen_shannon(np.array([0.5, 0.5]), np.array([5, 5])) == pytest.approx(0)
    assert drift.jensen_shannon(np.array([1.0, 0.0]), np.array([0, 7])) == pytest.approx(1)


# Scores


def test_score_drift(reference: Reference) -> None:
    def score_report(frame: pd.DataFrame) -> drift.ScoreDrift:
        scores = _scores(frame_features(frame))
        counts = drift.score_counts(scores, reference.oof_scores)
        return drift.score_drift(reference.oof_scores, counts, REFERENCE_ROWS)

    stable = score_report(synth.generate(1000, seed=2))
    assert not stable.drifted and stable.level == "ok" and stable.n == 1000
    shifted = score_report(_shifted(1000, seed=2))
    assert shifted.drifted and shifted.level == "act" and shifted.reason_code == "distribution"
    assert shifted.psi > shifted.psi_critical and shifted.p_value < drift.ALPHA
    assert score_report(_shifted(50, seed=2)).reason_code == "not_enough_data"
