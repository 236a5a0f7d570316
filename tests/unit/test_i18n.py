"""French and English: the catalogue is complete, numbers and fields are written for each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from credit_app.i18n import Formats, Words, missing_keys, negotiate, translate
from credit_app.i18n.catalogue import CATALOGUES
from credit_app.ml.features import FEATURE_NAMES
from credit_app.ml.schema import CATEGORIES


def test_no_key_is_missing_in_either_language() -> None:
    assert missing_keys() == {"en": set(), "fr": set()}


def test_parameters_are_the_same_in_both_languages() -> None:
    import string

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    english, french = CATALOGUES["en"], CATALOGUES["fr"]
    differ = {k for k in english if k in french and names(english[k]) != names(french[k])}
    assert differ == set()


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.5", "en"),
        ("de-DE,de;q=0.9,fr;q=0.8", "fr"),
        ("de-DE", "en"),
        ("", "en"),
        ("fr;q=bad, en", "en"),
    ],
)
def test_the_language_follows_accept_language(header: str, lang: str) -> None:
    assert negotiate(header) == lang


@pytest.mark.parametrize(
    ("lang", "number", "percent", "money"),
    [
        ("en", "1,234,567.9", "12.3%", "€450,000"),
        ("fr", "1\u202f234\u202f567,9", "12,3\u00a0%", "450\u202f000\u00a0€"),
    ],
)
def test_numbers_percentages_and_amounts(lang: str, number: str, percent: str, money: str) -> None:
    formats = Formats(lang, "EUR")
    assert formats.number(1234567.89, 1) == number
    assert formats.percent(0.1234) == percent
    assert formats.money(450000.4) == money


def test_the_currency_comes_from_the_setting() -> None:
    assert Formats("en", "USD").money(1500) in ("US$1,500", "$1,500")
    assert "£" in Formats("fr", "GBP").money(1500)


def test_dates_follow_the_locale() -> None:
    moment = datetime(2026, 3, 4, 9, 5, tzinfo=UTC)
    assert Formats("en").datetime(moment).startswith("04/03/2026")
    assert Formats("fr").datetime(moment).startswith("04/03/2026")


@pytest.mark.parametrize(
    ("lang", "feature", "value", "text"),
    [
        ("en", "ANNUITY_INCOME_RATIO", 0.321, "32% of income"),
        ("fr", "ANNUITY_INCOME_RATIO", 0.321, "32\u00a0% du revenu"),
        ("en", "CREDIT_INCOME_RATIO", 3.04, "3.0 times the annual income"),
        ("en", "AMT_INCOME_TOTAL", 202500.0, "€202,500"),
        ("en", "DAYS_BIRTH", -9461.0, "25 years"),
        ("fr", "DAYS_BIRTH", -9461.0, "25 ans"),
        ("en", "DAYS_EMPLOYED", -637.0, "1.7 years"),
        ("fr", "DAYS_EMPLOYED", -637.0, "1,7 ans"),
        ("en", "DAYS_EMPLOYED", 365243, "not employed"),
        ("en", "EXT_SOURCE_3", 0.13937, "0.14"),
        ("fr", "EXT_SOURCE_3", 0.13937, "0,14"),
        ("en", "NOT_EMPLOYED", 1.0, "yes"),
        ("fr", "NOT_EMPLOYED", 1.0, "oui"),
        ("en", "FLAG_OWN_CAR", "Y", "Yes"),
        ("en", "EXT_SOURCE_1", None, "not provided"),
        ("en", "AMT_REQ_CREDIT_BUREAU_YEAR", 2.0, "2"),
        ("fr", "REGION_POPULATION_RELATIVE", 0.0123, "0,0123"),
    ],
)
def test_values_in_words(lang: str, feature: str, value: object, text: str) -> None:
    assert Words.of(lang).value(feature, value) == text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_feature_and_category_has_words(lang: str) -> None:
    words = Words.of(lang)
    labels = [words.label(name) for name in FEATURE_NAMES]
    assert all(labels) and "_" not in "".join(labels)
    for column, values in CATEGORIES.items():
        for value in values:
            assert f"category.{column}.{value}" in CATALOGUES[lang], (column, value)


def test_reasons_in_each_language() -> None:
    assert (
        Words.of("en").reason("EXT_SOURCE_2", 0.7, "lowers")
        == "External score 2 is 0.70 (lowers the risk)"
    )
    french = Words.of("fr").reason("EXT_SOURCE_2", 0.7, "lowers")
    assert "0,70" in french and french != translate("en", "reason.lowers")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "-5 is impossible: expected a number above 0"),
        ("fr", "-5 est impossible : attendu un nombre supérieur à 0"),
    ],
)
def test_problems_with_a_value_are_said_in_each_language(lang: str, text: str) -> None:
    from credit_app.ml.loader import validate_applicant

    _, problems = validate_applicant({"AMT_CREDIT": -5})
    (problem,) = problems
    assert problem.message == "-5 is impossible: expected a number above 0"
    detail = {"code": problem.code, "params": problem.params, "message": problem.message}
    assert Words.of(lang).problem(detail) == text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_feature_has_a_name_of_its_own(lang: str) -> None:
    names = [Words.of(lang).name(feature) for feature in FEATURE_NAMES]
    assert len(set(names)) == len(names)
