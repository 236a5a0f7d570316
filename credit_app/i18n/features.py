"""The applicant's fields in words: their labels, their values in units, and the sentence
that gives one as a reason for a score, in either language."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from credit_app.i18n.catalogue import Lang, as_lang, has_key, translate
from credit_app.i18n.formats import Formats
from credit_app.i18n.messages import message

DAYS_PER_YEAR = 365.25
DAYS_EMPLOYED_NOT_EMPLOYED = 365243  # the Home Credit code for "not employed"
Unit = Literal[
    "money",
    "years",
    "age",
    "whole_years",
    "number",
    "density",
    "hour",
    "score",
    "yes_no",
    "times_income",
    "share_of_income",
    "share_of_credit",
    "share_of_age",
    "category",
]

_UNITS: dict[str, Unit] = {
    "AMT_INCOME_TOTAL": "money",
    "AMT_CREDIT": "money",
    "AMT_ANNUITY": "money",
    "AMT_GOODS_PRICE": "money",
    "DAYS_BIRTH": "age",
    "DAYS_EMPLOYED": "years",
    "DAYS_REGISTRATION": "years",
    "DAYS_ID_PUBLISH": "years",
    "DAYS_LAST_PHONE_CHANGE": "years",
    "OWN_CAR_AGE": "whole_years",
    "REGION_POPULATION_RELATIVE": "density",
    "HOUR_APPR_PROCESS_START": "hour",
    "EXT_SOURCE_1": "score",
    "EXT_SOURCE_2": "score",
    "EXT_SOURCE_3": "score",
    "EXT_SOURCE_MEAN": "score",
    "TOTALAREA_MODE": "score",
    "NOT_EMPLOYED": "yes_no",
    "CREDIT_INCOME_RATIO": "times_income",
    "ANNUITY_INCOME_RATIO": "share_of_income",
    "ANNUITY_CREDIT_RATIO": "share_of_credit",
    "EMPLOYED_AGE_RATIO": "share_of_age",
    "GOODS_CREDIT_RATIO": "share_of_credit",
}
_YES_NO_PREFIXES = ("FLAG_", "REG_", "LIVE_")
_RATIO_UNITS = ("times_income", "share_of_income", "share_of_credit", "share_of_age")
_BUILDING_STATISTICS = ("AVG", "MODE", "MEDI")


def unit_of(feature: str, value: Any = None) -> Unit:
    """How a feature's values are written; text values are categories."""
    if feature in _UNITS:
        return _UNITS[feature]
    if isinstance(value, str):
        return "category"
    if feature.startswith(_YES_NO_PREFIXES):
        return "yes_no"
    return "number"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Words:
    """Texts in one language: catalogue messages, formats, and the applicant's fields."""

    lang: Lang
    currency: str = "EUR"

    @classmethod
    def of(cls, lang: str, currency: str = "EUR") -> Words:
        return cls(as_lang(lang), currency)

    @cached_property
    def formats(self) -> Formats:
        return Formats(self.lang, self.currency)

    def __call__(self, key: str, **params: Any) -> str:
        """The message of `key`, its numbers and enumerations written for the language."""
        return message(self.lang, key, params)

    def label(self, feature: str) -> str:
        """A feature's name as people say it."""
        key = f"feature.{feature}"
        if has_key(key):
            return translate(self.lang, key)
        if feature.startswith("FLAG_DOCUMENT_"):
            return translate(self.lang, "feature.document", number=feature.rpartition("_")[2])
        measure, _, statistic = feature.rpartition("_")
        if statistic in _BUILDING_STATISTICS and has_key(f"building.{measure}"):
            return translate(
                self.lang,
                "feature.building",
                measure=translate(self.lang, f"building.{measure}"),
                statistic=translate(self.lang, f"building.statistic.{statistic}"),
            )
        return feature.replace("_", " ").lower().capitalize()

    def name(self, feature: str) -> str:
        """A feature's name where it stands alone (charts, tables): a ratio says of what, so
        that `Annuity` (to income) and `Annuity` (to credit) differ."""
        unit = unit_of(feature)
        if unit in _RATIO_UNITS:
            return translate(self.lang, f"name.{unit}", label=self.label(feature))
        return self.label(feature)

    def category(self, feature: str, value: str) -> str:
        """A coded value (`Y`, `Cash loans`) in words."""
        key = f"category.{feature}.{value}"
        return translate(self.lang, key) if has_key(key) else value

    def value(self, feature: str, value: Any) -> str:
        """The applicant's value in readable units."""
        if _missing(value):
            return translate(self.lang, "value.not_provided")
        unit = unit_of(feature, value)
        if unit == "category":
            return self.category(feature, str(value))
        if feature == "DAYS_EMPLOYED" and value == DAYS_EMPLOYED_NOT_EMPLOYED:
            return translate(self.lang, "value.not_employed")
        return self._number(unit, float(value))

    def _number(self, unit: Unit, value: float) -> str:
        f = self.formats
        if unit == "money":
            return f.money(value)
        if unit == "years":
            return translate(self.lang, "unit.years", n=f.number(abs(value) / DAYS_PER_YEAR, 1))
        if unit == "age":
            return translate(self.lang, "unit.years", n=math.floor(abs(value) / DAYS_PER_YEAR))
        if unit == "whole_years":
            return translate(self.lang, "unit.years", n=f.number(value))
        if unit == "hour":
            return translate(self.lang, "unit.hour", hour=f"{value:.0f}")
        if unit == "score":
            return f.number(value, 2)
        if unit == "density":
            return f.number(value, 4)
        if unit == "yes_no":
            return translate(self.lang, "value.yes" if value else "value.no")
        if unit == "times_income":
            return translate(self.lang, "unit.times_income", n=f.number(value, 1))
        if unit in ("share_of_income", "share_of_credit", "share_of_age"):
            return translate(self.lang, f"unit.{unit}", share=f.percent(value, 0))
        return f.significant(value)

    def problem(self, detail: Mapping[str, Any]) -> str:
        """What is wrong with a field or a row: by its code when the catalogue knows it, else
        the English message that came with it."""
        key = f"problem.{detail.get('code')}"
        if not (detail.get("code") and has_key(key)):
            return str(detail.get("message") or translate(self.lang, "problem.invalid"))
        params = dict(detail.get("params") or {})
        if detail.get("code") == "impossible":
            params["rule"] = self.rule(params)
        if isinstance(params.get("value"), str):
            params["value"] = (
                f"« {params['value']} »" if self.lang == "fr" else repr(params["value"])
            )
        return message(self.lang, key, params)

    def rule(self, params: Mapping[str, Any]) -> str:
        """The values a field may take, in words: `a whole number at least 0`."""
        f, parts = self.formats, []
        if params.get("low") is not None:
            side = "rule.above" if params.get("low_exclusive") else "rule.at_least"
            parts.append(translate(self.lang, side, low=f.significant(params["low"], 6)))
        if params.get("high") is not None:
            parts.append(
                translate(self.lang, "rule.at_most", high=f.significant(params["high"], 6))
            )
        text = translate(self.lang, "rule.whole" if params.get("whole") else "rule.number")
        if parts:
            text += " " + translate(self.lang, "rule.and").join(parts)
        if params.get("also") is not None:
            text += " " + translate(self.lang, "rule.or", also=f.significant(params["also"], 6))
        return text

    def reason(self, feature: str, value: Any, direction: str) -> str:
        """One factor of a score as a sentence: what it is, its value, which way it pushes."""
        return translate(
            self.lang,
            f"reason.{direction}",
            label=self.label(feature),
            value=self.value(feature, value),
        )
