"""The reasons behind a score: which factors, in which order, said in English for the API."""

from __future__ import annotations

from credit_app.ml.reasons import Contribution, build_reasons


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
    assert reasons[0].text == "Annuity is 32% of income (raises the risk)"
    assert reasons[3].text == "External score 2 is 0.70 (lowers the risk)"
