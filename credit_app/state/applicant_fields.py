"""Applicant fields as people type and read them (years, amounts) and as the model takes them.

Labels come from `credit_app.ml.reasons`; this module only adds the units of the forms.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from credit_app.ml.reasons import label_of, value_text
from credit_app.ml.schema import CATEGORIES, DAYS_EMPLOYED_NOT_EMPLOYED

DAYS_PER_YEAR = 365.25
Unit = Literal["money", "years", "score", "count", "category"]

#: Codes of the Home Credit format shown in words.
_CODE_WORDS = {"Y": "Yes", "N": "No", "F": "Female", "M": "Male", "XNA": "Not given"}


_YEARS_MESSAGES = {
    "DAYS_BIRTH": "enter an age from 14 to 109 years",
    "DAYS_EMPLOYED": "enter from 0 to 109 years",
}


@dataclass(frozen=True)
class ApplicantField:
    column: str  # Home Credit column; also the id and name of the input
    unit: Unit

    @property
    def label(self) -> str:
        suffix = {"years": " (years)", "score": " (0 to 1)"}.get(self.unit, "")
        return f"{label_of(self.column)}{suffix}"

    @property
    def options(self) -> list[tuple[str, str]]:
        """(value, words) of a category field."""
        return [(value, _CODE_WORDS.get(value, value)) for value in CATEGORIES[self.column]]


WHAT_IF_FIELDS = [
    ApplicantField("AMT_INCOME_TOTAL", "money"),
    ApplicantField("AMT_CREDIT", "money"),
    ApplicantField("AMT_ANNUITY", "money"),
    ApplicantField("AMT_GOODS_PRICE", "money"),
    ApplicantField("DAYS_EMPLOYED", "years"),
    ApplicantField("EXT_SOURCE_1", "score"),
    ApplicantField("EXT_SOURCE_2", "score"),
    ApplicantField("EXT_SOURCE_3", "score"),
]
NEW_APPLICANT_CATEGORIES = [
    ApplicantField(column, "category")
    for column in (
        "NAME_CONTRACT_TYPE",
        "CODE_GENDER",
        "FLAG_OWN_CAR",
        "FLAG_OWN_REALTY",
        "NAME_INCOME_TYPE",
        "NAME_EDUCATION_TYPE",
        "NAME_FAMILY_STATUS",
        "NAME_HOUSING_TYPE",
    )
]
NEW_APPLICANT_NUMBERS = [
    ApplicantField("DAYS_BIRTH", "years"),
    ApplicantField("CNT_CHILDREN", "count"),
    *WHAT_IF_FIELDS,
]
FIELDS_BY_COLUMN = {f.column: f for f in (*NEW_APPLICANT_CATEGORIES, *NEW_APPLICANT_NUMBERS)}

PROFILE_COLUMNS = [
    "NAME_CONTRACT_TYPE",
    "AMT_CREDIT",
    "AMT_ANNUITY",
    "AMT_GOODS_PRICE",
    "AMT_INCOME_TOTAL",
    "NAME_INCOME_TYPE",
    "DAYS_BIRTH",
    "DAYS_EMPLOYED",
    "CODE_GENDER",
    "NAME_FAMILY_STATUS",
    "CNT_CHILDREN",
    "NAME_EDUCATION_TYPE",
    "NAME_HOUSING_TYPE",
    "OCCUPATION_TYPE",
    "FLAG_OWN_CAR",
    "FLAG_OWN_REALTY",
    "EXT_SOURCE_1",
    "EXT_SOURCE_2",
    "EXT_SOURCE_3",
]


def readable(column: str, value: Any) -> str:
    """A stored value in words and units, as on the profile."""
    if column == "DAYS_EMPLOYED" and value == DAYS_EMPLOYED_NOT_EMPLOYED:
        return "not employed"
    if isinstance(value, str):
        return _CODE_WORDS.get(value, value)
    return value_text(column, value)


def profile(application: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"label": label_of(column), "value": readable(column, application.get(column))}
        for column in PROFILE_COLUMNS
    ]


def as_input(field: ApplicantField, value: Any) -> str:
    """A stored value as the text an input starts with ("" when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if field.unit == "years":
        return "" if value == DAYS_EMPLOYED_NOT_EMPLOYED else f"{abs(value) / DAYS_PER_YEAR:.1f}"
    if field.unit == "money":
        return f"{value:,.0f}"
    if field.unit == "score":
        return f"{value:.3f}"
    return str(value)


def parse(field: ApplicantField, text: Any) -> tuple[Any, str]:
    """The model's value of what was typed, or ("", message) when it is not a number."""
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None, ""
    if field.unit == "category":
        return raw, ""
    try:
        number = float(raw.replace(",", "").replace(" ", ""))
    except ValueError:
        return None, "Enter a number, for example 12500."
    if not math.isfinite(number):
        return None, "Enter a finite number."
    if field.unit == "years":
        if number < 0:
            return None, "Enter a number of years, 0 or more."
        return -round(number * DAYS_PER_YEAR), ""
    if field.unit == "count":
        return int(number) if number.is_integer() else number, ""
    return number, ""


def parse_all(
    fields: Iterable[ApplicantField], texts: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values for the model and messages per field; absent or empty fields are left out."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        value, error = parse(field, texts.get(field.column))
        if error:
            errors[field.column] = error
        elif value is not None:
            values[field.column] = value
    return values, errors


def service_errors(details: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """InvalidInput.details as a message per field, in the words of the form."""
    errors: dict[str, str] = {}
    for detail in details:
        column = str(detail.get("field") or "")
        message = str(detail.get("message") or "is not valid")
        # The model's day counts mean nothing to people: say it in years.
        message = _YEARS_MESSAGES.get(column, message)
        errors.setdefault(column, message[0].upper() + message[1:])
    return errors
