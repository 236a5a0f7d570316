"""The statistics of the fairness view: the disparate-impact ratio's interval (Katz), the
verdict that needs it to clear the 0.8-1.25 band, and the reference group."""

from __future__ import annotations

import numpy as np
import pytest

from credit_app.ml import performance as pf


def test_katz_interval_of_a_known_ratio() -> None:
    # 30 of 100 against 60 of 100: ratio 0.5, log-scale standard error sqrt(0.03).
    low, high = pf.impact_interval(30, 100, 60, 100) or (0.0, 0.0)
    se = np.sqrt(1 / 30 - 1 / 100 + 1 / 60 - 1 / 100)
    assert low == pytest.approx(0.5 * np.exp(-1.959964 * se), rel=1e-5)
    assert high == pytest.approx(0.5 * np.exp(1.959964 * se), rel=1e-5)
    assert (round(low, 3), round(high, 3)) == (0.356, 0.702)
    # A wider level, a wider interval; more decisions, a narrower one.
    wide = pf.impact_interval(30, 100, 60, 100, level=0.99) or (0.0, 0.0)
    narrow = pf.impact_interval(300, 1000, 600, 1000) or (0.0, 0.0)
    assert wide[0] < low < narrow[0] < 0.5 < narrow[1] < high < wide[1]


def test_katz_interval_covers_the_true_ratio_about_95_times_in_100() -> None:
    rng = np.random.default_rng(7)
    group = rng.binomial(150, 0.56, size=3000)
    reference = rng.binomial(600, 0.8, size=3000)
    inside = []
    for k, c in zip(group, reference, strict=True):
        low, high = pf.impact_interval(int(k), 150, int(c), 600) or (0.0, 0.0)
        inside.append(low <= 0.7 <= high)
    assert np.mean(inside) == pytest.approx(0.95, abs=0.015)


def test_zero_counts_keep_the_interval_finite() -> None:
    low, high = pf.impact_interval(0, 200, 150, 200) or (1.0, 0.0)
    assert low == 0.0 and 0 < high < 0.1  # holds the ratio 0, clearly below 0.8
    low, high = pf.impact_interval(200, 200, 100, 200) or (0.0, 0.0)
    assert low < 2.0 <= high and low > pf.IMPACT_HIGH  # everyone approved: still a ratio of 2
    assert pf.impact_interval(5, 10, 0, 300) is None  # the reference approved no one
    assert pf.impact_interval(0, 0, 50, 100) is None  # no decision in the group


@pytest.mark.parametrize(
    ("ratio", "interval", "n", "verdict"),
    [
        (1.0, (0.9, 1.1), 500, "ok"),
        (0.8, (0.7, 0.9), 500, "ok"),  # on the band's edge: inside
        (0.6, (0.5, 0.72), 500, "flag_low"),
        (0.7, (0.55, 0.85), 500, "within_noise"),  # below 0.8, but noise could explain it
        (1.5, (1.3, 1.7), 500, "flag_high"),
        (1.4, (1.2, 1.6), 500, "within_noise"),
        (0.3, (0.1, 0.5), 99, "too_few"),  # clear, but under the minimum: no flag
        (None, None, 500, "too_few"),
    ],
)
def test_the_verdict_needs_the_interval_beyond_the_edge_it_crossed(
    ratio: float | None, interval: tuple[float, float] | None, n: int, verdict: str
) -> None:
    assert pf.impact_verdict(ratio, interval, n, reference_n=1000) == verdict


def test_a_small_reference_judges_no_one() -> None:
    assert pf.impact_verdict(0.5, (0.4, 0.6), 1000, reference_n=50) == "too_few"


def test_the_reference_is_the_largest_group_and_missing_values_are_not_judged() -> None:
    counts = {
        pf.MISSING: (5000, 1000),  # the largest, but never the reference
        "Married": (3000, 2400),
        "Single / not married": (1000, 500),
        "Widow": (130, 85),
        "Separated": (40, 10),
    }
    rows = {row.group: row for row in pf.group_approvals(counts)}
    assert list(rows) == list(counts)  # the caller's order
    married = rows["Married"]
    assert married.status == "reference" and married.impact_ratio == 1.0
    assert married.impact_lower is None and married.impact_upper is None  # 1 by definition
    assert rows[pf.MISSING].status == "not_judged" and rows[pf.MISSING].impact_ratio == 0.25
    single = rows["Single / not married"]
    assert single.status == "flag_low" and single.flagged
    assert single.impact_ratio == pytest.approx(0.625)
    assert single.impact_lower is not None and single.impact_upper is not None
    assert single.impact_lower < 0.625 < single.impact_upper < pf.IMPACT_LOW
    # 65 % against 80 %: a ratio of 0.82, inside the band.
    assert rows["Widow"].status == "ok"
    # A quarter approved of 40: too few to judge, its rate's interval shown instead.
    separated = rows["Separated"]
    assert separated.status == "too_few" and not separated.flagged
    assert separated.lower < 0.25 < separated.upper
    # A named reference wins over the largest.
    named = {row.group: row.status for row in pf.group_approvals(counts, "Widow")}
    assert named["Widow"] == "reference" and named["Married"] == "ok"
    with pytest.raises(ValueError, match="reference group"):
        pf.group_approvals(counts, "Divorced")
    # Only missing values: shown, with no reference and no ratio.
    (alone,) = pf.group_approvals({pf.MISSING: (10, 5)})
    assert alone.status == "not_judged" and alone.impact_ratio is None and alone.rate == 0.5
    assert pf.group_approvals({}) == []


def test_within_noise_below_the_band() -> None:
    rows = {r.group: r for r in pf.group_approvals({"ref": (1250, 1000), "g": (110, 68)})}
    g = rows["g"]
    assert g.impact_ratio is not None and g.impact_ratio < pf.IMPACT_LOW
    assert g.impact_upper is not None and g.impact_upper > pf.IMPACT_LOW
    assert g.status == "within_noise" and not g.flagged


def test_age_band_starts_in_days() -> None:
    days = np.array(pf.AGE_BAND_DAYS)
    assert list(pf.age_band(days)) == ["25-39", "40-59", "60+"]  # each start opens its band
    assert list(pf.age_band(days + 1)) == ["<25", "25-39", "40-59"]
