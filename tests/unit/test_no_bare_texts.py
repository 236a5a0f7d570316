"""Every text a page shows comes from the catalogue: no page or component passes a sentence
of its own to a component, as a child or as a prop people read or hear."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "credit_app"
MODULES = sorted([*(PACKAGE / "pages").glob("*.py"), *(PACKAGE / "components").glob("*.py")])
#: Props whose text people read or hear.
READ_PROPS = {"placeholder", "aria_label", "title", "label", "alt", "text", "content"}
#: Words: a letter followed by more letters; single lower-case tokens are values ("approve").
WORDS = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


def _is_component_call(node: ast.Call) -> bool:
    """A call of Reflex's component API: `rx.text(...)`, `rx.table.cell(...)`."""
    target = node.func
    while isinstance(target, ast.Attribute):
        target = target.value
    return isinstance(target, ast.Name) and target.id == "rx"


def _reads_as_text(value: ast.expr) -> bool:
    if isinstance(value, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and WORDS.search(str(part.value))
            for part in value.values
        )
    if not isinstance(value, ast.Constant) or not isinstance(value.value, str):
        return False
    text = value.value
    # A sentence or a capitalised word is text; a lower-case token is a value or a name.
    return bool(WORDS.search(text)) and (" " in text.strip() or text[:1].isupper())


def bare_texts(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not _is_component_call(node):
            continue
        name = ast.unparse(node.func)
        if name in ("rx.icon", "rx.color", "rx.breakpoints", "rx.redirect", "rx.call_script"):
            continue
        candidates = [*node.args, *(k.value for k in node.keywords if k.arg in READ_PROPS)]
        found += [
            f"{path.name}:{value.lineno} {ast.unparse(value)}"
            for value in candidates
            if _reads_as_text(value)
        ]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_bare_text(path: Path) -> None:
    assert bare_texts(path) == []


def test_the_check_finds_a_bare_text(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'rx.text("Hello there")\nrx.input(placeholder="Type")\nrx.text(t("ok"))\n'
        'rx.match(x, ("approve", 1))\nrx.box(id="main-box")\n'
    )
    assert [line.split(" ", 1)[1] for line in bare_texts(sample)] == ["'Hello there'", "'Type'"]
