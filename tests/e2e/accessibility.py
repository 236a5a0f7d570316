"""axe-core in a Playwright page: the WCAG 2.1 A and AA rules, and a readable failure message.

axe-core comes from the npm registry, pinned in tests/e2e/axe/package-lock.json and installed
by scripts/ensure-axe.sh (a step of `make test`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

Violation = dict[str, Any]

# Radix paints a card's background with a ::before pseudo-element, and by default axe leaves
# the contrast of text over a large pseudo-element "incomplete", i.e. unchecked: most of the
# app's text sits in cards. Ignoring pseudo-elements measures it against the page under the
# card, a shade darker than the card: stricter in light mode, a few per cent lenient in dark
# mode. What axe still cannot measure is the text of the Plotly charts (SVG).
_RUN_AXE = """tags => axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
    checks: {"color-contrast": {options: {ignorePseudo: true}}},
})"""


def axe_violations(page: Page) -> list[Violation]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run scripts/ensure-axe.sh (or make test-deps)")
    # Pages change without reloading: inject axe once per document.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE_SCRIPT)
    return page.evaluate(_RUN_AXE, list(WCAG_TAGS))["violations"]


def describe(violations: list[Violation]) -> str:
    """One paragraph per rule: id, impact, help and link, then each failing element."""
    lines: list[str] = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"- {violation['id']} ({violation['impact']}, {len(nodes)} element(s)): "
            f"{violation['help']} <{violation['helpUrl']}>"
        )
        for node in nodes:
            target = " >> ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"    {target}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)


def assert_accessible(page: Page, view: str) -> None:
    """Fail with every violation listed if axe-core finds any in the page."""
    violations = axe_violations(page)
    count = sum(len(v["nodes"]) for v in violations)
    assert not violations, f"{view}: {count} accessibility violation(s)\n{describe(violations)}"


Scheme = Literal["light", "dark"]
SCHEMES: tuple[Scheme, Scheme] = ("light", "dark")
SETTLE_MS = 300  # colour transitions and chart redraws after a scheme change


class Audit:
    """Checks the page as it is in each colour scheme and keeps every failure."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.failures: list[str] = []

    def _use(self, scheme: Scheme) -> None:
        self.page.emulate_media(color_scheme=scheme)
        self.page.wait_for_function(
            "dark => document.documentElement.classList.contains('dark') === dark",
            arg=scheme == "dark",
        )
        self.page.wait_for_timeout(SETTLE_MS)

    def check(self, view: str) -> None:
        for scheme in SCHEMES:
            self._use(scheme)
            try:
                assert_accessible(self.page, f"{view}, {scheme} mode")
            except AssertionError as failure:
                self.failures.append(str(failure))
        self._use(SCHEMES[0])

    def assert_clean(self) -> None:
        assert not self.failures, "\n\n".join(self.failures)
