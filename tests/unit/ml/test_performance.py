"""Realised and estimated performance, calibration back-test and approval rates by group."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import expit, ndtr, ndtri
from scipy.stats import beta
from sklearn.metrics import roc_auc_score

from credit_app.ml import performance as pf
from credit_app.ml import synth


def _binormal(defaults: int, good: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores of good payers ~ N(0, 1) and of defaults ~ N(d, 1): AUC = Phi(d / sqrt 2) = 0.75."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(defaults), np.zeros(good)]
    return y, rng.normal(size=y.size) + np.sqrt(2) * ndtri(0.75) * y


# AUC with DeLong's interval


def test_auc_matches_sklearn_with_ties() -> None:
    rng = np.random.default_rng(0)
    y = rng.random(3000) < 0.1
    p = np.round(rng.random(3000) + 0.2 * y, 2)  # many ties
    result = pf.auc_with_interval(y, p)
    assert result.auc == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert (result.n, result.defaults) == (3000, int(y.sum()))
    assert result.lower < result.auc < result.upper


def test_delong_standard_error_matches_its_pairwise_definition() -> None:
    rng = np.random.default_rng(1)
    y = rng.random(80) < 0.3
    p = np.round(rng.random(80) + 0.3 * y, 1)
    bad, good = p[y], p[~y]
    kernel = (bad[:, None] > good[None, :]) + 0.5 * (bad[:, None] == good[None, :])
    v10, v01 = kernel.mean(axis=1), kernel.mean(axis=0)
    se = np.sqrt(v10.var(ddof=1) / bad.size + v01.var(ddof=1) / good.size)
    assert pf.auc_with_interval(y, p).se == pytest.approx(se)


def test_standard_error_at_auc_075_with_100_defaults_is_about_0029() -> None:
    """The GUIDE's figure comes from Hanley-McNeil's exponential scores: DeLong agrees there."""
    ses = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        # good payers' scores at rate 3, defaults' at rate 1: P(default outranks) = 3/4
        p = np.r_[rng.exponential(1.0, 100), rng.exponential(1 / 3, 5000)]
        ses.append(pf.auc_with_interval(np.r_[np.ones(100), np.zeros(5000)], p).se)
    assert np.mean(ses) == pytest.approx(0.029, abs=0.002)


def test_delong_standard_error_is_the_spread_of_the_auc() -> None:
    results = [pf.auc_with_interval(*_binormal(100, 1000, seed)) for seed in range(300)]
    spread = np.std([result.auc for result in results])
    assert np.mean([result.se for result in results]) == pytest.approx(spread, rel=0.1)


def test_auc_interval_covers_the_true_auc_about_95_times_in_100() -> None:
    results = [pf.auc_with_interval(*_binormal(100, 1000, seed)) for seed in range(300)]
    inside = [result.lower <= 0.75 <= result.upper for result in results]
    assert np.mean(inside) == pytest.approx(0.95, abs=0.03)


def test_auc_below_reference() -> None:
    assert pf.auc_below_reference_p(0.70, 0.02, 0.75) == pytest.approx(ndtr(-2.5))
    assert pf.auc_below_reference_p(0.75, 0.02, 0.75) == pytest.approx(0.5)
    assert pf.auc_below_reference_p(0.80, 0.02, 0.75) > 0.99
    assert pf.auc_below_reference_p(0.70, 0.0, 0.75) == 0


def test_realised_measures_need_both_classes() -> None:
    with pytest.raises(ValueError, match="two defaults"):
        pf.auc_with_interval(np.array([1, 0, 0]), np.array([0.9, 0.1, 0.2]))
    with pytest.raises(ValueError, match="two defaults"):
        pf.ks(np.zeros(5), np.linspace(0, 1, 5))


def test_enough_data() -> None:
    assert pf.enough_data(1000, 30) and not pf.enough_data(1000, 29)
    assert not pf.enough_data(50, 30)  # only 20 good payers
    assert pf.enough_data(200, 10, min_defaults=10)


# Estimated performance without outcomes


def _pds(n: int, seed: int) -> np.ndarray:
    """Calibrated-looking probabilities of default around 8 %."""
    return np.asarray(expit(-2.6 + np.random.default_rng(seed).normal(size=n)))


def test_expected_auc_is_the_weighted_share_of_ordered_pairs() -> None:
    p = np.round(_pds(200, seed=0), 2)  # ties on purpose
    weight = p[:, None] * (1 - p[None, :])
    order = (p[:, None] > p[None, :]) + 0.5 * (p[:, None] == p[None, :])
    np.fill_diagonal(weight, 0)
    brute = np.sum(weight * order) / np.sum(weight)
    assert pf.expected_auc(p).auc == pytest.approx(brute, abs=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_realised_auc_falls_in_the_interval_around_expected_auc(seed: int) -> None:
    p = _pds(3000, seed)
    estimate = pf.expected_auc(p)
    assert estimate.defaults == round(p.sum()) and estimate.n == 3000
    rng = np.random.default_rng(seed)
    realised = np.array([pf.auc_with_interval(rng.random(p.size) < p, p).auc for _ in range(200)])
    inside = (estimate.lower <= realised) & (realised <= estimate.upper)
    assert np.mean(inside) == pytest.approx(0.95, abs=0.035)
    assert realised.mean() == pytest.approx(estimate.auc, abs=estimate.se / 5)
    assert realised.std() == pytest.approx(estimate.se, rel=0.15)


def test_expected_auc_of_certain_outcomes() -> None:
    certain = pf.expected_auc(np.array([0.0, 0.0, 1.0]))
    assert (certain.auc, certain.se, certain.defaults) == (1.0, 0.0, 1)
    with pytest.raises(ValueError, match="strictly between"):
        pf.expected_auc(np.zeros(3))


def test_expected_auc_of_other_scores_is_the_weighted_share_of_pairs_they_order() -> None:
    """Applicants ranked by a model's scores while their true risk is p."""
    p = _pds(200, seed=4)
    scores = np.round(p + np.random.default_rng(5).normal(0, 0.05, p.size), 2)  # ties
    weight = p[:, None] * (1 - p[None, :])
    order = (scores[:, None] > scores[None, :]) + 0.5 * (scores[:, None] == scores[None, :])
    np.fill_diagonal(weight, 0)
    brute = np.sum(weight * order) / np.sum(weight)
    assert pf.expected_auc(p, scores).auc == pytest.approx(brute, abs=1e-12)
    assert pf.expected_auc(p, p).auc == pf.expected_auc(p).auc
    assert pf.expected_auc(p, -scores).auc == pytest.approx(1 - brute, abs=1e-12)
    with pytest.raises(ValueError, match="one score and one weight per"):
        pf.expected_auc(p, scores[:-1])


def test_expected_auc_with_weights_counts_each_entry_that_many_times() -> None:
    p = np.round(_pds(300, seed=6), 2)
    values, weights = np.unique(p, return_counts=True)
    weighted, every = pf.expected_auc(values, weights=weights), pf.expected_auc(p)
    assert weighted.auc == pytest.approx(every.auc, abs=1e-12)
    assert weighted.se == pytest.approx(every.se, rel=1e-9)
    assert (weighted.n, weighted.defaults) == (every.n, every.defaults)
    with pytest.raises(ValueError, match="one weight per probability"):
        pf.expected_auc(values, weights=weights[:-1])


def test_probability_histogram_keeps_the_estimates_of_every_probability() -> None:
    """Binned in log-odds, added up in parts: the expected default rate is exact and the
    expected AUC and its standard error those of the probabilities themselves."""
    p = _pds(50_000, seed=7)
    total = pf.ProbabilityHistogram()
    for part in np.array_split(p, 7):
        total.add(pf.ProbabilityHistogram.of(part))
    assert total.n == p.size
    assert total.expected_default_rate() == pytest.approx(p.mean(), rel=1e-12)
    binned, exact = total.expected_auc(), pf.expected_auc(p)
    assert binned.auc == pytest.approx(exact.auc, abs=2e-4)
    assert binned.se == pytest.approx(exact.se, rel=0.01)
    assert binned.defaults == exact.defaults
    assert pf.ProbabilityHistogram().expected_default_rate() is None
    # Certain outcomes land in the end bins rather than outside them.
    assert pf.ProbabilityHistogram.of(np.array([0.0, 1.0])).n == 2


# Separation, decisions and cost


def test_ks() -> None:
    y = np.array([0, 0, 0, 1, 1, 1])
    assert pf.ks(y, np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9])) == 1
    assert pf.ks(y, np.array([0.1, 0.5, 0.9, 0.1, 0.5, 0.9])) == 0
    assert pf.ks(y, np.array([0.1, 0.2, 0.8, 0.3, 0.7, 0.9])) == pytest.approx(2 / 3)


def test_confusion_refuses_at_the_threshold_and_costs_follow() -> None:
    y = np.array([1, 1, 0, 0, 0, 1])
    p = np.array([0.9, 0.5, 0.5, 0.2, 0.7, 0.1])
    counts = pf.confusion(y, p, threshold=0.5)
    assert counts == pf.Confusion(tp=2, fp=2, tn=1, fn=1)
    assert pf.business_cost(counts, cost_fn=10, cost_fp=1) == 12


# Calibration back-test


def test_jeffreys_p_value() -> None:
    assert pf.jeffreys_p_value(10, 1000, 0.01) == pytest.approx(beta.cdf(0.01, 10.5, 990.5))
    assert 0.4 < pf.jeffreys_p_value(10, 1000, 0.01) < 0.6
    assert pf.jeffreys_p_value(30, 1000, 0.01) < 1e-5  # three times the predicted defaults
    assert pf.jeffreys_p_value(0, 1000, 0.01) > 0.99  # none of the ten predicted


@pytest.mark.parametrize(
    ("p_value", "light"),
    [(0.005, "red"), (0.03, "amber"), (0.5, "green"), (0.05, "green"), (0.97, "amber"),
     (0.995, "red")],
)  # fmt: skip
def test_traffic_light(p_value: float, light: str) -> None:
    assert pf.traffic_light(p_value) == light


def test_deciles_split_applicants_by_predicted_pd() -> None:
    p = _pds(1005, seed=4)
    y = np.random.default_rng(4).random(p.size) < p
    rows = pf.calibration_by_decile(y, p)
    assert len(rows) == 10 and {row.n for row in rows} == {100, 101}
    assert sum(row.defaults for row in rows) == y.sum()
    assert all(a.high <= b.low for a, b in itertools.pairwise(rows))
    assert all(row.low <= row.mean_pd <= row.high for row in rows)
    assert len(pf.calibration_by_decile(y[:4], p[:4])) == 4


def test_calibrated_pds_are_mostly_green() -> None:
    """Over many calibrated samples, red deciles appear about 2 % of the time (two-sided 1 %)."""
    lights = []
    for seed in range(40):
        p = _pds(3000, seed)
        y = np.random.default_rng(100 + seed).random(p.size) < p
        lights += [row.light for row in pf.calibration_by_decile(y, p)]
    assert np.mean(np.array(lights) == "red") < 0.05
    assert np.mean(np.array(lights) == "green") > 0.85


def test_underestimated_and_overestimated_pds_turn_red() -> None:
    p = _pds(20_000, seed=5)
    rng = np.random.default_rng(5)
    under = pf.calibration_by_decile(rng.random(p.size) < np.minimum(2 * p, 1), p)
    assert all(row.light == "red" and row.p_value < 0.01 for row in under[3:])
    over = pf.calibration_by_decile(rng.random(p.size) < p / 2, p)
    assert all(row.light == "red" and row.p_value > 0.99 for row in over[3:])


# Approval rates by group


def test_wilson_interval() -> None:
    low, high = pf.wilson_interval(8, 10)
    assert (low, high) == (pytest.approx(0.4902, abs=1e-4), pytest.approx(0.9433, abs=1e-4))
    assert pf.wilson_interval(0, 20)[0] == 0 and pf.wilson_interval(20, 20)[1] == 1
    assert pf.wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_interval_covers_the_rate_about_95_times_in_100() -> None:
    successes = np.random.default_rng(0).binomial(60, 0.85, size=2000)
    inside = [low <= 0.85 <= high for low, high in map(pf.wilson_interval, successes, [60] * 2000)]
    assert np.mean(inside) == pytest.approx(0.95, abs=0.02)


def test_age_bands() -> None:
    years = np.array([20, 24.99, 25, 39.9, 40, 59.9, 60, 75, np.nan])
    bands = pf.age_band(-years * 365.25)
    assert list(bands) == [
        "<25",
        "<25",
        "25-39",
        "25-39",
        "40-59",
        "40-59",
        "60+",
        "60+",
        "missing",
    ]


def _decisions(bias: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Age bands of synthetic applicants and approvals at 80 %, lowered for the under-25s."""
    bands = pf.age_band(synth.generate(10_000, seed=seed)["DAYS_BIRTH"].to_numpy())
    rate = np.where(bands == "<25", 0.8 - bias, 0.8)
    return bands, np.random.default_rng(seed + 1).random(bands.size) < rate


def test_a_bias_against_one_age_band_is_flagged() -> None:
    bands, approved = _decisions(bias=0.3)
    rows = {row.group: row for row in pf.approval_by_group(bands, approved, "40-59")}
    assert set(rows) == set(pf.AGE_BANDS)
    young = rows["<25"]
    assert young.flagged and young.status == "flag_low"
    assert young.impact_upper is not None and young.impact_upper < pf.IMPACT_LOW
    assert young.upper < pf.IMPACT_LOW * rows["40-59"].rate  # clear beyond noise
    assert young.impact_ratio == pytest.approx(young.rate / rows["40-59"].rate)
    assert rows["40-59"].status == "reference" and rows["40-59"].impact_ratio == 1
    assert {rows[band].status for band in ("25-39", "60+")} == {"ok"}


def test_no_bias_no_flag() -> None:
    bands, approved = _decisions(bias=0.0)
    rows = pf.approval_by_group(bands, approved, "40-59")
    assert not any(row.flagged for row in rows)
    assert sum(row.n for row in rows) == 10_000


def test_a_small_group_shows_its_interval_but_is_not_flagged() -> None:
    groups = np.array(["big"] * 500 + ["small"] * 40)
    approved = np.r_[np.ones(400), np.zeros(100), np.zeros(30), np.ones(10)].astype(bool)
    rows = {row.group: row for row in pf.approval_by_group(groups, approved, "big")}
    small = rows["small"]
    assert small.status == "too_few" and not small.flagged
    assert small.impact_ratio == pytest.approx(0.25 / 0.8)
    assert 0.1 < small.lower < 0.25 < small.upper < 0.45
    with pytest.raises(ValueError, match="reference group"):
        pf.approval_by_group(groups, approved, "absent")
