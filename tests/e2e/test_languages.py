"""French and English in a real Chromium: the browser's language first, then the switch,
remembered across a reload. Screenshots of both languages go to docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import OFFICER, ServedApp
from tests.e2e.test_officer_pages import SCREENSHOTS, batch_file

pytestmark = pytest.mark.e2e


@pytest.fixture
def french_page(browser: Browser) -> Iterator[Page]:
    """A tab of a browser whose language is French (Accept-Language and navigator)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)  # Plotly draws a moment after the data arrives
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_french_browser_then_the_switch(
    french_page: Page, served_app: ServedApp, tmp_path: Path
) -> None:
    page = french_page
    page.goto(f"{served_app.base_url}/login")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    shoot(page, "fr-login")
    page.get_by_label("Identifiant").fill(OFFICER.username)
    page.get_by_label("Mot de passe").fill(OFFICER.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name=f"Bienvenue, {OFFICER.username}")).to_be_visible()

    # A client: decision, reasons and chart titles in French, numbers written the French way.
    page.get_by_role("navigation").get_by_role("link", name="Clients").click()
    # Not the first client: the officer's journey records decisions on that one.
    first_id = page.locator("#clients-table tbody tr a").nth(3).inner_text()
    page.goto(f"{served_app.base_url}/clients/{first_id}")
    expect(page.get_by_role("heading", name=f"Client {first_id}")).to_be_visible()
    page.get_by_role("button", name="Évaluer", exact=True).click()
    expect(page.locator("#recorded-badge")).to_be_visible()
    expect(page.locator("#decision")).to_have_text(re.compile("Accorder|Refuser"))
    expect(page.locator("#probability")).to_have_text(re.compile(r"^\d+,\d\s%$"))
    expect(page.locator("#reasons li").first).to_contain_text(re.compile("augmente|diminue"))
    waterfall_axis = page.locator("#waterfall .xtitle")
    expect(waterfall_axis).to_contain_text("Log-odds du défaut")
    expect(page.locator("#waterfall")).to_contain_text("Tous les autres facteurs")
    expect(page.locator("#gauge")).to_contain_text("Seuil")
    expect(page.locator("#population")).to_contain_text("ce client")
    shoot(page, "fr-client")

    # The batch page, with a bad row named in French.
    page.get_by_role("navigation").get_by_role("link", name="Traitement par lot").click()
    expect(page.get_by_role("heading", name="Évaluation par lot")).to_be_visible()
    page.locator("#batch-file input[type=file]").set_input_files(batch_file(tmp_path / "f.csv"))
    page.get_by_role("button", name="Évaluer le fichier").click()
    expect(page.locator("#bad-rows tbody tr")).to_have_count(1)
    expect(page.locator("#bad-rows tbody tr")).to_contain_text("Montant du crédit")
    expect(page.locator("#histogram .xtitle")).to_contain_text("Probabilité de défaut")
    shoot(page, "fr-batch")

    # The switch turns the page into English, and the choice survives a reload.
    with page.expect_navigation():  # the switch reloads the page in the new language
        page.get_by_role("group", name="Langue").get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Batch scoring")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Batch scoring")).to_be_visible()
    page.goto(f"{served_app.base_url}/clients/{first_id}")
    expect(page.get_by_role("button", name="Score", exact=True)).to_be_visible()
    expect(page.locator("#reasons li").first).to_contain_text(re.compile("raises|lowers"))
    expect(page.locator("#waterfall .xtitle")).to_contain_text("Log-odds of default")
    shoot(page, "en-client")
    # And back: the French choice is remembered as well.
    with page.expect_navigation():
        page.get_by_role("group", name="Language").get_by_role("button", name="Français").click()
    expect(page.get_by_role("button", name="Évaluer", exact=True)).to_be_visible()
