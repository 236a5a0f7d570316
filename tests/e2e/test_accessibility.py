"""Every page view passes axe-core's WCAG 2.1 A and AA rules, in light and in dark mode.

The colour mode follows the system's, so each view is checked under both emulated schemes.
Every view is checked before the test fails, and the failure lists all the violations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import Audit
from tests.e2e.conftest import ANALYST, OFFICER, ServedApp, sign_in_as
from tests.e2e.test_officer_pages import BATCH_ROWS, batch_file

pytestmark = pytest.mark.e2e


def test_every_page_view_is_accessible(page: Page, served_app: ServedApp, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    audit = Audit(page)
    base = served_app.base_url

    page.goto(f"{base}/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    audit.check("login")
    page.get_by_label("Username").fill(OFFICER.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check("login with a wrong password")

    sign_in_as(page, served_app, OFFICER)
    audit.check("home (officer)")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Clients").click()
    table = page.locator("#clients-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    audit.check("clients")

    # Not the first client: test_officer_pages counts the decisions recorded for that one.
    table.locator("tbody tr a").last.click()
    expect(page.locator("#preview-badge")).to_be_visible()
    audit.check("client, as on file (a preview)")
    page.get_by_role("button", name="Score", exact=True).click()
    expect(page.locator("#recorded-badge")).to_be_visible()
    expect(page.locator("#reasons li").first).to_be_visible()
    expect(page.locator("#waterfall .main-svg").first).to_be_visible()
    expect(page.locator("#population .main-svg").first).to_be_visible()
    expect(page.locator("#history-table tbody tr")).to_have_count(1)
    audit.check("client, scored")

    nav.get_by_role("link", name="New applicant").click()
    expect(page.get_by_role("heading", name="New applicant")).to_be_visible()
    page.get_by_label("Annual income").fill("180000")
    page.get_by_label("Credit amount").fill("-5")
    page.get_by_role("button", name="Score applicant").click()
    expect(page.locator("#AMT_CREDIT-error")).to_be_visible()
    audit.check("new applicant with a validation error")
    page.get_by_label("Credit amount").fill("450000")
    page.get_by_role("button", name="Score applicant").click()
    expect(page.locator("#result #waterfall .main-svg").first).to_be_visible()
    audit.check("new applicant, scored")

    nav.get_by_role("link", name="Batch").click()
    expect(page.get_by_role("heading", name="Batch scoring")).to_be_visible()
    page.locator("#batch-file input[type=file]").set_input_files(batch_file(tmp_path / "f.csv"))
    page.get_by_role("button", name="Score file").click()
    expect(page.locator("#rows-scored")).to_have_text(str(BATCH_ROWS - 1))
    expect(page.locator("#bad-rows tbody tr")).to_have_count(1)
    expect(page.locator("#histogram .main-svg").first).to_be_visible()
    audit.check("batch, scored with a bad row")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    sign_in_as(page, served_app, ANALYST)
    audit.check("home (analyst)")
    page.goto(f"{base}/batch")
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check("batch, refused to an analyst")

    audit.assert_clean()
