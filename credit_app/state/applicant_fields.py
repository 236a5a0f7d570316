"""Applicant fields as people type and read them (years, amounts) and as the model takes them.

Labels and values in words come from `credit_app.i18n`; this module adds the units of the
forms and reads what people type in either language's number format."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from credit_app.i18n import Words
from credit_app.i18n.features import DAYS_EMPLOYED_NOT_EMPLOYED, DAYS_PER_YEAR
from credit_app.ml.schema import CATEGORIES

Unit = Literal["money", "years", "score", "count", "category"]

#: Day counts mean nothing to people: a field in years says its limits in years.
_YEARS_MESSAGES = {
    "DAYS_BIRTH": "field.error.age_range",
    "DAYS_EMPLOYED": "field.error.years_range",
}


@dataclass(frozen=True)
class ApplicantField:
    column: str  # Home Credit column; also the id and name of the input
    unit: Unit

    @property
    def label_key(self) -> str:
        """The catalogue key of the field's label with its unit (`field.years`...)."""
        return {"years": "field.years", "score": "field.score"}.get(self.unit, "field.plain")

    @property
    def options(self) -> list[str]:
        """The codes of a category field."""
        return list(CATEGORIES[self.column])


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


def profile(words: Words, application: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"label": words.label(column), "value": words.value(column, application.get(column))}
        for column in PROFILE_COLUMNS
    ]


def as_input(words: Words, field: ApplicantField, value: Any) -> str:
    """A stored value as the text an input starts with ("" when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if field.unit == "years":
        if value == DAYS_EMPLOYED_NOT_EMPLOYED:
            return ""
        return words.formats.number(abs(value) / DAYS_PER_YEAR, 1)
    if field.unit == "money":
        return words.formats.number(value)
    if field.unit == "score":
        return words.formats.number(value, 3)
    return str(value)


#: Spaces people and locales put between thousands: plain, no-break, narrow no-break.
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f")


def read_number(words: Words, text: str) -> float | None:
    """A number typed in the page's language (`1 234,5` in French, `1,234.5` in English)."""
    raw = text.translate(_GROUP_SPACES)
    if words.lang == "fr":
        raw = raw.replace(".", "").replace(",", ".") if "," in raw else raw
    else:
        raw = raw.replace(",", "")
    try:
        return float(raw)
    except ValueError:
        return None


def parse(words: Words, field: ApplicantField, text: Any) -> tuple[Any, str]:
    """The model's value of what was typed, or (None, message) when it is not a number."""
    raw = "" if text is None else str(text).strip()
    if raw == "":
        return None, ""
    if field.unit == "category":
        return raw, ""
    number = read_number(words, raw)
    if number is None:
        return None, words("field.error.not_a_number")
    if not math.isfinite(number):
        return None, words("field.error.not_finite")
    if field.unit == "years":
        if number < 0:
            return None, words("field.error.negative_years")
        return -round(number * DAYS_PER_YEAR), ""
    if field.unit == "count":
        return int(number) if number.is_integer() else number, ""
    return number, ""


def parse_all(
    words: Words, fields: Iterable[ApplicantField], texts: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values for the model and messages per field; absent or empty fields are left out."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        value, error = parse(words, field, texts.get(field.column))
        if error:
            errors[field.column] = error
        elif value is not None:
            values[field.column] = value
    return values, errors


def service_errors(words: Words, details: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """InvalidInput.details as a message per field, in the words of the form."""
    errors: dict[str, str] = {}
    for detail in details:
        column = str(detail.get("field") or "")
        if column in _YEARS_MESSAGES:
            message = words(_YEARS_MESSAGES[column])
        else:
            message = words.problem(detail)
        errors.setdefault(column, message[0].upper() + message[1:])
    return errors
