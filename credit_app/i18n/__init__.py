"""French and English: the catalogue, the reader's language, numbers and dates for it.

The bottom of the package beside `domain`: it imports nothing else of the project."""

from credit_app.i18n.catalogue import LANGUAGES, Lang, missing_keys, negotiate, translate
from credit_app.i18n.features import Words
from credit_app.i18n.formats import Formats
from credit_app.i18n.messages import enum_key, message

__all__ = [
    "LANGUAGES",
    "Formats",
    "Lang",
    "Words",
    "enum_key",
    "message",
    "missing_keys",
    "negotiate",
    "translate",
]
