"""An officer's day through a real Chromium, and what an analyst may not see.

Each page is photographed at 1280 and 390 px wide into docs/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from credit_app.ml import synth
from tests.e2e.conftest import ANALYST, OFFICER, ServedApp, sign_in_as

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = (1280, 390)
BATCH_ROWS = 12
BAD_LINE = 5  # file line of the row given an impossible credit amount

pytestmark = pytest.mark.e2e


def photograph(page: Page, name: str) -> None:
    """The whole page at each width, then back to the desktop width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(1200)  # Plotly redraws the charts a while after a resize
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def batch_file(path: Path) -> Path:
    """Synthetic applications, one with a credit amount no bank would lend. Their ids are
    not the served app's clients': a scored id becomes (or updates) that client."""
    frame = synth.generate(BATCH_ROWS, seed=5, first_id=800_000).drop(columns=["TARGET"])
    frame.loc[BAD_LINE - 2, "AMT_CREDIT"] = -5
    synth.write_csv(frame, path)
    return path


def probability(page: Page) -> str:
    return page.locator("#probability").inner_text()


def test_officer_day(page: Page, served_app: ServedApp, tmp_path: Path) -> None:
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(f"{served_app.base_url}/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    photograph(page, "login")
    sign_in_as(page, served_app, OFFICER)
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Clients", "New applicant", "Batch"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    photograph(page, "home")

    # Search: the id prefix, submitted with Enter.
    nav.get_by_role("link", name="Clients").click()
    table = page.locator("#clients-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    photograph(page, "clients")
    first_id = table.locator("tbody tr a").first.inner_text()
    page.get_by_label("Client id or contract type").fill(first_id)
    page.get_by_label("Client id or contract type").press("Enter")
    expect(page.locator("#found")).to_have_text("Clients found: 1")
    table.get_by_role("link", name=first_id).click()

    # The client: profile, then a recorded score with its explanation.
    expect(page.get_by_role("heading", name=f"Client {first_id}")).to_be_visible()
    expect(page.locator("#profile")).to_contain_text("Age")
    expect(page.locator("#preview-badge")).to_have_text("Preview, not recorded")
    page.get_by_role("button", name="Score", exact=True).click()
    expect(page.locator("#recorded-badge")).to_be_visible()
    expect(page.locator("#decision")).to_have_text(re.compile("Approve|Refuse"))
    expect(page.locator("#gauge .main-svg").first).to_be_visible()
    expect(page.locator("#waterfall .main-svg").first).to_be_visible()
    expect(page.locator("#reasons li").first).to_contain_text(re.compile("raises|lowers"))
    expect(page.locator("#history-count")).to_have_text("1 recorded decision")
    photograph(page, "client")

    # What-if: poor external scores move the probability; nothing is saved until recorded.
    before = probability(page)
    for score in ("External score 2 (0 to 1)", "External score 3 (0 to 1)"):
        page.get_by_label(score).fill("0.02")
    expect(page.locator("#preview-badge")).to_be_visible()
    expect(page.locator("#probability")).not_to_have_text(before)
    expect(page.locator("#history-count")).to_have_text("1 recorded decision")
    page.get_by_role("button", name="Record this decision").click()
    expect(page.locator("#history-count")).to_have_text("2 recorded decisions")
    expect(page.locator("#recorded-badge")).to_be_visible()
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)
    page.screenshot(path=SCREENSHOTS / "client-dark-1280.png", full_page=True)
    page.emulate_media(color_scheme="light")

    # A new applicant: a validation message next to the field, then a result.
    nav.get_by_role("link", name="New applicant").click()
    expect(page.get_by_role("heading", name="New applicant")).to_be_visible()
    page.get_by_label("Annual income").fill("180000")
    page.get_by_label("Credit amount").fill("-5")
    page.get_by_label("Age (years)").fill("41")
    page.get_by_role("button", name="Score applicant").click()
    expect(page.locator("#AMT_CREDIT-error")).to_contain_text("impossible")
    photograph(page, "new-applicant-error")
    page.get_by_label("Credit amount").fill("450000")
    page.get_by_role("button", name="Score applicant").click()
    expect(page.locator("#AMT_CREDIT-error")).to_be_hidden()
    expect(page.locator("#result #decision")).to_have_text(re.compile("Approve|Refuse"))
    expect(page.locator("#result #reasons li").first).to_be_visible()
    photograph(page, "new-applicant")

    # A file with one bad row: the rest scored, the bad row listed by line, a download.
    nav.get_by_role("link", name="Batch").click()
    expect(page.get_by_role("heading", name="Batch scoring")).to_be_visible()
    page.locator("#batch-file input[type=file]").set_input_files(batch_file(tmp_path / "f.csv"))
    expect(page.locator("#selected-file")).to_contain_text("f.csv")
    page.get_by_role("button", name="Score file").click()
    expect(page.locator("#rows-scored")).to_have_text(str(BATCH_ROWS - 1))
    expect(page.locator("#bad-row-count")).to_have_text("1")
    expect(page.locator("#bad-rows tbody tr")).to_have_count(1)
    expect(page.locator("#bad-rows tbody tr")).to_contain_text(str(BAD_LINE))
    expect(page.locator("#bad-rows tbody tr")).to_contain_text("AMT_CREDIT")
    expect(page.locator("#histogram .main-svg").first).to_be_visible()
    photograph(page, "batch")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download scored CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == ["SK_ID_CURR", "probability", "decision"]
    assert len(rows) == BATCH_ROWS  # header + every row but the bad one
    assert {r[2] for r in rows[1:]} <= {"approve", "refuse"}

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_analyst_sees_no_officer_pages(page: Page, served_app: ServedApp) -> None:
    sign_in_as(page, served_app, ANALYST)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    for name in ("Clients", "New applicant", "Batch"):
        expect(nav.get_by_role("link", name=name)).to_have_count(0)
    page.goto(f"{served_app.base_url}/clients")
    expect(page.get_by_role("alert")).to_contain_text("analyst role may not view clients")
    expect(page.locator("#clients-table")).to_have_count(0)
    page.goto(f"{served_app.base_url}/clients/100002")
    expect(page.get_by_role("alert")).to_contain_text("analyst role may not view clients")
    expect(page.locator("#profile")).to_have_count(0)
    page.goto(f"{served_app.base_url}/score/new")
    expect(page.get_by_role("alert")).to_contain_text("analyst role may not score applicants")
    expect(page.get_by_role("button", name="Score applicant")).to_have_count(0)
    page.goto(f"{served_app.base_url}/batch")
    expect(page.get_by_role("alert")).to_contain_text("analyst role may not score batch files")
    expect(page.get_by_role("button", name="Score file")).to_have_count(0)
