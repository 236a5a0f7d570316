"""Readable labels and units in the reasons."""

from __future__ import annotations

import pytest

from credit_app.ml.features import FEATURE_NAMES
from credit_app.ml.reasons import Contribution, build_reasons, label_of, value_text


@pytest.mark.parametrize(
    ("feature", "value", "text"),
    [
        ("ANNUITY_INCOME_RATIO", 0.321, "32 % of income"),
        ("CREDIT_INCOME_RATIO", 3.04, "3.0 times the annual income"),
        ("AMT_INCOME_TOTAL", 202500.0, "202,500"),
        ("DAYS_BIRTH", -9461.0, "25 years"),
        ("DAYS_EMPLOYED", -637.0, "1.7 years"),
        ("EXT_SOURCE_3", 0.13937, "0.14"),
        ("NOT_EMPLOYED", 1.0, "yes"),
        ("NAME_EDUCATION_TYPE", "Higher education", "Higher education"),
        ("EXT_SOURCE_1", None, "not provided"),
        ("AMT_REQ_CREDIT_BUREAU_YEAR", 2.0, "2"),
    ],
)
def test_value_text(feature: str, value: object, text: str) -> None:
    assert value_text(feature, value) == text


def test_every_feature_has_a_label() -> None:
    labels = [label_of(name) for name in FEATURE_NAMES]
    assert all(labels) and "_" not in "".join(labels)
    assert label_of("YEARS_BUILD_MEDI") == "Building years build (median)"


def test_build_reasons_orders_and_limits() -> None:
    contributions = [
        Contribution("ANNUITY_INCOME_RATIO", 0.32, 0.4),
        Contribution("EXT_SOURCE_2", 0.7, -0.9),
        Contribution("DAYS_BIRTH", -20000.0, -0.2),
        Contribution("AMT_CREDIT", 5e5, 0.0001),
        Contribution("CODE_GENDER", "M", 0.1),
        Contribution("FLAG_PHONE", 1.0, 0.05),
        Contribution("FLAG_EMAIL", 0.0, 0.02),
    ]
    reasons = build_reasons(contributions, per_direction=3)
    assert [r.feature for r in reasons] == [
        "ANNUITY_INCOME_RATIO",
        "CODE_GENDER",
        "FLAG_PHONE",
        "EXT_SOURCE_2",
        "DAYS_BIRTH",
    ]
    assert reasons[0].text == "Annuity is 32 % of income (raises the risk)"
    assert reasons[3].text == "External score 2 is 0.70 (lowers the risk)"
