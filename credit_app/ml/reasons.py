"""Plain-language reasons: readable labels and units for the features behind a score."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from credit_app.ml.schema import CATEGORIES

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


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _years(value: float) -> str:
    return f"{abs(value) / 365.25:.1f} years"


def _age(value: float) -> str:
    return f"{math.floor(abs(value) / 365.25)} years"


def _share_of(what: str) -> Callable[[float], str]:
    return lambda value: f"{value * 100:.0f} % of {what}"


def _times(what: str) -> Callable[[float], str]:
    return lambda value: f"{value:.1f} times {what}"


def _score(value: float) -> str:
    return f"{value:.2f}"


def _yes_no(value: float) -> str:
    return "yes" if value else "no"


def _number(value: float) -> str:
    return f"{value:g}"


_LABELS: dict[str, tuple[str, Callable[[float], str]]] = {
    "AMT_INCOME_TOTAL": ("Annual income", _money),
    "AMT_CREDIT": ("Credit amount", _money),
    "AMT_ANNUITY": ("Loan annuity", _money),
    "AMT_GOODS_PRICE": ("Price of the goods", _money),
    "DAYS_BIRTH": ("Age", _age),
    "DAYS_EMPLOYED": ("Time in the current job", _years),
    "DAYS_REGISTRATION": ("Time since the registration changed", _years),
    "DAYS_ID_PUBLISH": ("Time since the identity document changed", _years),
    "DAYS_LAST_PHONE_CHANGE": ("Time since the phone changed", _years),
    "OWN_CAR_AGE": ("Age of the car", lambda v: f"{v:.0f} years"),
    "CNT_CHILDREN": ("Number of children", _number),
    "CNT_FAM_MEMBERS": ("Family members", _number),
    "REGION_POPULATION_RELATIVE": ("Population density of the region", lambda v: f"{v:.4f}"),
    "REGION_RATING_CLIENT": ("Region rating", _number),
    "REGION_RATING_CLIENT_W_CITY": ("Region and city rating", _number),
    "HOUR_APPR_PROCESS_START": ("Hour of application", lambda v: f"{v:.0f}:00"),
    "EXT_SOURCE_1": ("External score 1", _score),
    "EXT_SOURCE_2": ("External score 2", _score),
    "EXT_SOURCE_3": ("External score 3", _score),
    "EXT_SOURCE_MEAN": ("Average external score", _score),
    "NOT_EMPLOYED": ("Without a job (pensioner or unemployed)", _yes_no),
    "CREDIT_INCOME_RATIO": ("Credit amount", _times("the annual income")),
    "ANNUITY_INCOME_RATIO": ("Annuity", _share_of("income")),
    "ANNUITY_CREDIT_RATIO": ("Annuity", _share_of("the credit")),
    "EMPLOYED_AGE_RATIO": ("Time in the current job", _share_of("the applicant's age")),
    "GOODS_CREDIT_RATIO": ("Price of the goods", _share_of("the credit")),
    "OBS_30_CNT_SOCIAL_CIRCLE": ("Contacts observed with 30-day arrears", _number),
    "DEF_30_CNT_SOCIAL_CIRCLE": ("Contacts who defaulted (30 days)", _number),
    "OBS_60_CNT_SOCIAL_CIRCLE": ("Contacts observed with 60-day arrears", _number),
    "DEF_60_CNT_SOCIAL_CIRCLE": ("Contacts who defaulted (60 days)", _number),
    "NAME_CONTRACT_TYPE": ("Contract type", str),
    "CODE_GENDER": ("Gender", str),
    "FLAG_OWN_CAR": ("Owns a car", str),
    "FLAG_OWN_REALTY": ("Owns real estate", str),
    "NAME_TYPE_SUITE": ("Accompanied by", str),
    "NAME_INCOME_TYPE": ("Income type", str),
    "NAME_EDUCATION_TYPE": ("Education", str),
    "NAME_FAMILY_STATUS": ("Family status", str),
    "NAME_HOUSING_TYPE": ("Housing", str),
    "OCCUPATION_TYPE": ("Occupation", str),
    "ORGANIZATION_TYPE": ("Employer type", str),
    "WEEKDAY_APPR_PROCESS_START": ("Day of application", str),
    "FONDKAPREMONT_MODE": ("Building repair fund", str),
    "HOUSETYPE_MODE": ("Building type", str),
    "WALLSMATERIAL_MODE": ("Wall material", str),
    "EMERGENCYSTATE_MODE": ("Building in emergency state", str),
    "TOTALAREA_MODE": ("Building total area (normalised)", _score),
    "FLAG_EMP_PHONE": ("Gave an employer phone", _yes_no),
    "FLAG_WORK_PHONE": ("Gave a work phone", _yes_no),
    "FLAG_PHONE": ("Gave a home phone", _yes_no),
    "FLAG_EMAIL": ("Gave an e-mail address", _yes_no),
    "REG_REGION_NOT_LIVE_REGION": ("Lives outside the region of registration", _yes_no),
    "REG_REGION_NOT_WORK_REGION": ("Works outside the region of registration", _yes_no),
    "LIVE_REGION_NOT_WORK_REGION": ("Works outside the region of residence", _yes_no),
    "REG_CITY_NOT_LIVE_CITY": ("Lives outside the city of registration", _yes_no),
    "REG_CITY_NOT_WORK_CITY": ("Works outside the city of registration", _yes_no),
    "LIVE_CITY_NOT_WORK_CITY": ("Works outside the city of residence", _yes_no),
    **{
        f"FLAG_DOCUMENT_{number}": (f"Provided document {number}", _yes_no)
        for number in range(2, 22)
    },
    **{
        f"AMT_REQ_CREDIT_BUREAU_{period}": (f"Credit bureau enquiries in the last {span}", _number)
        for period, span in (
            ("HOUR", "hour"),
            ("DAY", "day"),
            ("WEEK", "week"),
            ("MON", "month"),
            ("QRT", "quarter"),
            ("YEAR", "year"),
        )
    },
}


_BUILDING_STATISTICS = {"AVG": "average", "MODE": "mode", "MEDI": "median"}


def label_of(feature: str) -> str:
    """Readable label of a feature (a tidied column name when none is defined)."""
    if feature in _LABELS:
        return _LABELS[feature][0]
    measure, _, statistic = feature.rpartition("_")
    if statistic in _BUILDING_STATISTICS:
        return f"Building {measure.replace('_', ' ').lower()} ({_BUILDING_STATISTICS[statistic]})"
    return feature.replace("_", " ").lower().capitalize()


def value_text(feature: str, value: Any) -> str:
    """The applicant's value in readable units."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not provided"
    if feature in _LABELS:
        return _LABELS[feature][1](value)
    return str(value) if feature in CATEGORIES else f"{value:.3g}"


def build_reasons(
    contributions: Sequence[Contribution], per_direction: int = REASONS_PER_DIRECTION
) -> list[Reason]:
    """The top factors raising and then lowering the risk, largest first."""
    ranked = sorted(contributions, key=lambda c: -abs(c.contribution))
    raising = [c for c in ranked if c.contribution >= MIN_CONTRIBUTION][:per_direction]
    lowering = [c for c in ranked if c.contribution <= -MIN_CONTRIBUTION][:per_direction]
    return [_reason(c) for c in (*raising, *lowering)]


def _reason(item: Contribution) -> Reason:
    """One contribution as a sentence."""
    direction: Literal["raises", "lowers"] = "raises" if item.contribution > 0 else "lowers"
    label, shown = label_of(item.feature), value_text(item.feature, item.value)
    return Reason(
        feature=item.feature,
        label=label,
        value_text=shown,
        direction=direction,
        contribution=item.contribution,
        text=f"{label} is {shown} ({direction} the risk)",
    )
