"""Texts of the pages in the reader's language.

`t(key)` compiles every language's text into the page and picks one by the session's
`lang` in the browser, so fixed texts cost no server work; texts the server makes
(messages, reasons, tables) come translated in the state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import reflex as rx

from credit_app.i18n import LANGUAGES, enum_key, translate
from credit_app.state.session import SessionState


@dataclass(frozen=True)
class Key:
    """A parameter of `t` that is itself a catalogue key, translated in each language."""

    key: str


def t(key: str, **params: Any) -> rx.Var:
    """The text of `key` in the page's language; `params` may be state vars or `Key`s."""
    texts = []
    for lang in LANGUAGES:
        filled = {
            name: translate(lang, value.key) if isinstance(value, Key) else value
            for name, value in params.items()
        }
        texts.append(rx.Var.create(translate(lang, key, **filled)))
    chosen = texts[0]
    for lang, text in zip(LANGUAGES[1:], texts[1:], strict=True):
        chosen = rx.cond(SessionState.lang == lang, text, chosen)
    return chosen


def t_enum(value: rx.Var[str], kind: type[Enum]) -> rx.Var:
    """The name of one of `kind`'s values (a state var) in the page's language."""
    return rx.match(value, *[(member.value, t(enum_key(member))) for member in kind], value)
