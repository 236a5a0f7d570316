"""The Home Credit `application_train.csv` format: columns, types, vocabularies and rules."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

ID_COLUMN = "SK_ID_CURR"
TARGET_COLUMN = "TARGET"
#: Applicant ids are positive and fit the database's 32-bit integer columns.
MIN_ID, MAX_ID = 1, 2**31 - 1
ID_RULE_TEXT = f"applicant id must be a whole number from {MIN_ID} to {MAX_ID}"


def is_valid_id(value: int) -> bool:
    """Whether an integer can be an applicant id (SK_ID_CURR)."""
    return MIN_ID <= value <= MAX_ID


#: `DAYS_EMPLOYED` holds this value for applicants without a job (mostly pensioners).
DAYS_EMPLOYED_NOT_EMPLOYED = 365243

HOUSING_MEASURES = (
    "APARTMENTS",
    "BASEMENTAREA",
    "YEARS_BEGINEXPLUATATION",
    "YEARS_BUILD",
    "COMMONAREA",
    "ELEVATORS",
    "ENTRANCES",
    "FLOORSMAX",
    "FLOORSMIN",
    "LANDAREA",
    "LIVINGAPARTMENTS",
    "LIVINGAREA",
    "NONLIVINGAPARTMENTS",
    "NONLIVINGAREA",
)
#: The normalised building statistics (`*_AVG`, `*_MODE`, `*_MEDI`), in file order.
HOUSING_NUMERIC_COLUMNS = [
    f"{measure}_{stat}" for stat in ("AVG", "MODE", "MEDI") for measure in HOUSING_MEASURES
]
DOCUMENT_FLAG_COLUMNS = [f"FLAG_DOCUMENT_{n}" for n in range(2, 22)]
BUREAU_REQUEST_COLUMNS = [
    f"AMT_REQ_CREDIT_BUREAU_{period}" for period in ("HOUR", "DAY", "WEEK", "MON", "QRT", "YEAR")
]

#: The 120 application columns (no id, no target) in `application_train.csv` order.
APPLICATION_COLUMNS: list[str] = [
    "NAME_CONTRACT_TYPE",
    "CODE_GENDER",
    "FLAG_OWN_CAR",
    "FLAG_OWN_REALTY",
    "CNT_CHILDREN",
    "AMT_INCOME_TOTAL",
    "AMT_CREDIT",
    "AMT_ANNUITY",
    "AMT_GOODS_PRICE",
    "NAME_TYPE_SUITE",
    "NAME_INCOME_TYPE",
    "NAME_EDUCATION_TYPE",
    "NAME_FAMILY_STATUS",
    "NAME_HOUSING_TYPE",
    "REGION_POPULATION_RELATIVE",
    "DAYS_BIRTH",
    "DAYS_EMPLOYED",
    "DAYS_REGISTRATION",
    "DAYS_ID_PUBLISH",
    "OWN_CAR_AGE",
    "FLAG_MOBIL",
    "FLAG_EMP_PHONE",
    "FLAG_WORK_PHONE",
    "FLAG_CONT_MOBILE",
    "FLAG_PHONE",
    "FLAG_EMAIL",
    "OCCUPATION_TYPE",
    "CNT_FAM_MEMBERS",
    "REGION_RATING_CLIENT",
    "REGION_RATING_CLIENT_W_CITY",
    "WEEKDAY_APPR_PROCESS_START",
    "HOUR_APPR_PROCESS_START",
    "REG_REGION_NOT_LIVE_REGION",
    "REG_REGION_NOT_WORK_REGION",
    "LIVE_REGION_NOT_WORK_REGION",
    "REG_CITY_NOT_LIVE_CITY",
    "REG_CITY_NOT_WORK_CITY",
    "LIVE_CITY_NOT_WORK_CITY",
    "ORGANIZATION_TYPE",
    "EXT_SOURCE_1",
    "EXT_SOURCE_2",
    "EXT_SOURCE_3",
    *HOUSING_NUMERIC_COLUMNS,
    "FONDKAPREMONT_MODE",
    "HOUSETYPE_MODE",
    "TOTALAREA_MODE",
    "WALLSMATERIAL_MODE",
    "EMERGENCYSTATE_MODE",
    "OBS_30_CNT_SOCIAL_CIRCLE",
    "DEF_30_CNT_SOCIAL_CIRCLE",
    "OBS_60_CNT_SOCIAL_CIRCLE",
    "DEF_60_CNT_SOCIAL_CIRCLE",
    "DAYS_LAST_PHONE_CHANGE",
    *DOCUMENT_FLAG_COLUMNS,
    *BUREAU_REQUEST_COLUMNS,
]
ALL_COLUMNS: list[str] = [ID_COLUMN, TARGET_COLUMN, *APPLICATION_COLUMNS]

# Most frequent first.
_ORGANIZATION_TYPES = [
    "Business Entity Type 3",
    "XNA",
    "Self-employed",
    "Other",
    "Medicine",
    "Business Entity Type 2",
    "Government",
    "School",
    "Trade: type 7",
    "Kindergarten",
    "Construction",
    "Business Entity Type 1",
    "Transport: type 4",
    "Trade: type 3",
    "Industry: type 9",
    "Industry: type 3",
    "Security",
    "Housing",
    "Industry: type 11",
    "Military",
    "Bank",
    "Agriculture",
    "Police",
    "Transport: type 2",
    "Postal",
    "Security Ministries",
    "Trade: type 2",
    "Restaurant",
    "Services",
    "University",
    "Industry: type 7",
    "Transport: type 3",
    "Industry: type 1",
    "Hotel",
    "Electricity",
    "Industry: type 4",
    "Trade: type 6",
    "Industry: type 5",
    "Insurance",
    "Telecom",
    "Emergency",
    "Industry: type 2",
    "Advertising",
    "Realtor",
    "Culture",
    "Industry: type 12",
    "Trade: type 1",
    "Mobile",
    "Legal Services",
    "Cleaning",
    "Transport: type 1",
    "Industry: type 6",
    "Industry: type 10",
    "Religion",
    "Industry: type 13",
    "Trade: type 4",
    "Trade: type 5",
    "Industry: type 8",
]

#: The 16 text columns and every value the public format uses (missing is always allowed).
CATEGORIES: dict[str, list[str]] = {
    "NAME_CONTRACT_TYPE": ["Cash loans", "Revolving loans"],
    "CODE_GENDER": ["F", "M", "XNA"],
    "FLAG_OWN_CAR": ["N", "Y"],
    "FLAG_OWN_REALTY": ["N", "Y"],
    "NAME_TYPE_SUITE": [
        "Unaccompanied",
        "Family",
        "Spouse, partner",
        "Children",
        "Other_A",
        "Other_B",
        "Group of people",
    ],
    "NAME_INCOME_TYPE": [
        "Working",
        "Commercial associate",
        "Pensioner",
        "State servant",
        "Unemployed",
        "Student",
        "Businessman",
        "Maternity leave",
    ],
    "NAME_EDUCATION_TYPE": [
        "Secondary / secondary special",
        "Higher education",
        "Incomplete higher",
        "Lower secondary",
        "Academic degree",
    ],
    "NAME_FAMILY_STATUS": [
        "Married",
        "Single / not married",
        "Civil marriage",
        "Separated",
        "Widow",
        "Unknown",
    ],
    "NAME_HOUSING_TYPE": [
        "House / apartment",
        "With parents",
        "Municipal apartment",
        "Rented apartment",
        "Office apartment",
        "Co-op apartment",
    ],
    "OCCUPATION_TYPE": [
        "Laborers",
        "Sales staff",
        "Core staff",
        "Managers",
        "Drivers",
        "High skill tech staff",
        "Accountants",
        "Medicine staff",
        "Security staff",
        "Cooking staff",
        "Cleaning staff",
        "Private service staff",
        "Low-skill Laborers",
        "Waiters/barmen staff",
        "Secretaries",
        "Realty agents",
        "HR staff",
        "IT staff",
    ],
    "WEEKDAY_APPR_PROCESS_START": [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ],
    "ORGANIZATION_TYPE": _ORGANIZATION_TYPES,
    "FONDKAPREMONT_MODE": [
        "reg oper account",
        "reg oper spec account",
        "org spec account",
        "not specified",
    ],
    "HOUSETYPE_MODE": ["block of flats", "specific housing", "terraced house"],
    "WALLSMATERIAL_MODE": [
        "Stone, brick",
        "Panel",
        "Block",
        "Wooden",
        "Mixed",
        "Monolithic",
        "Others",
    ],
    "EMERGENCYSTATE_MODE": ["No", "Yes"],
}
CATEGORICAL_COLUMNS: list[str] = [c for c in APPLICATION_COLUMNS if c in CATEGORIES]
NUMERIC_COLUMNS: list[str] = [c for c in APPLICATION_COLUMNS if c not in CATEGORIES]


@dataclass(frozen=True)
class Rule:
    """The values a numeric column may take: a closed range, whole numbers or not."""

    low: float = -np.inf
    high: float = np.inf
    whole: bool = False
    also: float | None = None  # one extra allowed value outside the range (a sentinel)
    low_exclusive: bool = False

    def invalid(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Mask of the present (non-NaN) values that break the rule."""
        with np.errstate(invalid="ignore"):
            too_low = values <= self.low if self.low_exclusive else values < self.low
            bad = too_low | (values > self.high) | np.isinf(values)
            if self.whole:
                bad |= values != np.floor(values)
        if self.also is not None:
            bad &= values != self.also
        return bad & ~np.isnan(values)

    def params(self) -> dict[str, Any]:
        """The rule as plain values (infinite bounds as None), for messages in any language."""
        return {
            "low": None if self.low == -np.inf else self.low,
            "high": None if self.high == np.inf else self.high,
            "whole": self.whole,
            "also": self.also,
            "low_exclusive": self.low_exclusive,
        }

    @classmethod
    def of_params(cls, params: Mapping[str, Any]) -> Rule:
        low, high = params.get("low"), params.get("high")
        return cls(
            low=-np.inf if low is None else low,
            high=np.inf if high is None else high,
            whole=bool(params.get("whole")),
            also=params.get("also"),
            low_exclusive=bool(params.get("low_exclusive")),
        )

    def describe(self) -> str:
        """Human description, used in problem messages."""
        parts = []
        if self.low > -np.inf:
            parts.append(f"{'above' if self.low_exclusive else 'at least'} {self.low:g}")
        if self.high < np.inf:
            parts.append(f"at most {self.high:g}")
        text = "a " + ("whole number" if self.whole else "number")
        if parts:
            text += " " + " and ".join(parts)
        if self.also is not None:
            text += f" (or {self.also:g})"
        return text


_FLAG = Rule(0, 1, whole=True)
_COUNT = Rule(0, whole=True)
_PAST_DAYS = Rule(-40_000, 0, whole=True)
_SHARE = Rule(0, 1)


def _rule_for(column: str) -> Rule:
    """The validity rule of one numeric column, from its name."""
    special = {
        "AMT_INCOME_TOTAL": Rule(0, low_exclusive=True),
        "AMT_CREDIT": Rule(0, low_exclusive=True),
        "DAYS_BIRTH": Rule(-40_000, -14 * 365, whole=True),
        "DAYS_EMPLOYED": Rule(-40_000, 0, whole=True, also=DAYS_EMPLOYED_NOT_EMPLOYED),
        "REGION_RATING_CLIENT": Rule(1, 3, whole=True),
        "REGION_RATING_CLIENT_W_CITY": Rule(1, 3, whole=True),
        "HOUR_APPR_PROCESS_START": Rule(0, 23, whole=True),
        "OWN_CAR_AGE": Rule(0, 100),
        "CNT_FAM_MEMBERS": Rule(1, whole=True),
        "REGION_POPULATION_RELATIVE": _SHARE,
    }
    if column in special:
        return special[column]
    if column.startswith("FLAG_") or "_NOT_" in column:
        return _FLAG
    if column.startswith("DAYS_"):
        return _PAST_DAYS
    if column.startswith(("CNT_", "OBS_", "DEF_", "AMT_REQ_")):
        return _COUNT
    if column.startswith("AMT_"):
        return Rule(0)
    return _SHARE  # EXT_SOURCE_* and the normalised housing statistics


RULES: dict[str, Rule] = {column: _rule_for(column) for column in NUMERIC_COLUMNS}


def _schema_stamp() -> str:
    """A digest of everything `validate_applicant` checks: columns, vocabularies, rules."""
    checked = [
        MIN_ID,
        MAX_ID,
        APPLICATION_COLUMNS,
        CATEGORIES,
        {column: rule.params() for column, rule in RULES.items()},
    ]
    return hashlib.sha256(json.dumps(checked, sort_keys=True).encode()).hexdigest()[:16]


#: Stored with each client's application (`clients.application_schema`): an application
#: validated under these very rules is not validated again each time it is scored (that
#: was 17 % of the scoring route's time under load); one stored under other rules (an
#: older version's import) or without the stamp is.
SCHEMA_STAMP = _schema_stamp()
