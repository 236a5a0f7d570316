"""Every user-visible text, by key, in each language; `translate` fills in its parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from credit_app.i18n import en, fr

Lang = Literal["en", "fr"]
LANGUAGES: tuple[Lang, ...] = ("en", "fr")
DEFAULT: Lang = "en"
CATALOGUES: Mapping[Lang, Mapping[str, str]] = {"en": en.MESSAGES, "fr": fr.MESSAGES}


def as_lang(value: object) -> Lang:
    """`value` if it is a language of the product, else the default."""
    return cast(Lang, value) if value in LANGUAGES else DEFAULT


def translate(lang: str, key: str, **params: Any) -> str:
    """The text of `key` in `lang` with its `{parameters}` filled in.

    A key missing from a catalogue is a bug the catalogue test catches; at run time the
    English text (or the key itself) is shown rather than nothing."""
    text = CATALOGUES[as_lang(lang)].get(key) or en.MESSAGES.get(key) or key
    return text.format(**params) if params else text


def has_key(key: str) -> bool:
    return key in en.MESSAGES


def missing_keys() -> dict[Lang, set[str]]:
    """For each language, the keys some other language has and it lacks."""
    every = set().union(*(set(c) for c in CATALOGUES.values()))
    return {lang: every - set(CATALOGUES[lang]) for lang in LANGUAGES}


def negotiate(accept_language: str) -> Lang:
    """The product's language that best matches an Accept-Language header."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, weight = item.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        ranked.append((-quality, position, tag.split("-")[0].strip().lower()))
    for _, _, primary in sorted(ranked):
        if primary in LANGUAGES:
            return cast(Lang, primary)
    return DEFAULT
