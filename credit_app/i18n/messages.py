"""Messages with parameters: names of enumerations and numbers written for the language."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from credit_app.i18n.catalogue import as_lang, translate
from credit_app.i18n.formats import Formats


def enum_key(value: Enum) -> str:
    """The catalogue key that names an enumeration's value: `role.analyst`."""
    return f"{type(value).__name__.lower()}.{value.value}"


def message(lang: str, key: str, params: Mapping[str, Any]) -> str:
    """`key` in `lang`, its parameters written for the reader: enumerations by their name in
    the catalogue, numbers with the language's separators."""
    formats = Formats(as_lang(lang))
    shown: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, Enum):
            shown[name] = translate(lang, enum_key(value))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            shown[name] = value
        else:
            shown[name] = formats.number(value, 0 if float(value).is_integer() else 1)
    return translate(lang, key, **shown)
