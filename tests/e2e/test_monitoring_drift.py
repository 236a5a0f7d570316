"""The data drift page in a real Chromium: an analyst reads the verdict, opens a feature's
distributions, sorts the table and downloads the CSV and the HTML report; an officer is
refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import Audit
from tests.e2e.conftest import ANALYST, OFFICER, ServedApp, sign_in_as
from tests.e2e.test_officer_pages import SCREENSHOTS
from tests.unit.services.test_monitoring_drift import SHIFTED, applicants

pytestmark = pytest.mark.e2e


def send_shifted_batch(page: Page, app: ServedApp, rows: int = 600) -> None:
    """A JSON batch whose two features are shifted, as an officer's token."""
    token = page.request.post(
        f"{app.base_url}/api/v1/auth/token",
        form={"username": OFFICER.username, "password": OFFICER.password},
    ).json()["access_token"]
    frame = applicants(rows, seed=41, factors=SHIFTED)
    records = [{k: v for k, v in r.items() if v == v} for r in frame.to_dict(orient="records")]
    response = page.request.post(
        f"{app.base_url}/api/v1/score/batch",
        data=records,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60_000,
    )
    assert response.ok, response.text()


def test_an_analyst_reads_the_drift_page(page: Page, served_app: ServedApp) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    send_shifted_batch(page, served_app)
    sign_in_as(page, served_app, ANALYST)
    page.goto(f"{served_app.base_url}/monitoring/drift")
    expect(page.get_by_role("heading", name="Data drift", exact=True)).to_be_visible()
    expect(page.locator("#drift-verdict")).to_contain_text(re.compile(r"^(Watch|Act): "))
    table = page.locator("#drift-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    flagged = table.locator("tbody tr", has_text=re.compile(r"Watch|Act"))
    expect(flagged).to_have_count(2)  # the two shifted features, and no other
    expect(page.locator("#distribution .main-svg").first).to_be_visible()

    # A feature's name opens its distributions.
    name = table.locator("tbody tr").nth(4).get_by_role("link")
    label = name.inner_text()
    name.click()
    expect(page.locator("#distribution")).to_contain_text(label)

    # A second click on PSI puts the largest first; the header says how the table is sorted.
    header = page.get_by_role("columnheader", name="PSI", exact=True)
    page.get_by_role("button", name="PSI", exact=True).click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("button", name="PSI", exact=True).click()
    expect(header).to_have_attribute("aria-sort", "descending")
    values = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    numbers = [float(v.replace(",", ".")) for v in values]
    assert numbers == sorted(numbers, reverse=True)

    with page.expect_download() as csv_download:
        page.locator("#download-csv").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("feature,") and csv_text.count("\n") > 100
    assert all(f"{feature}," in csv_text for feature in SHIFTED)
    with page.expect_download() as html_download:
        page.locator("#download-report").click()
    report = Path(html_download.value.path()).read_text(encoding="utf-8")
    assert report.startswith("<!doctype html>") and "<svg" in report and "<script" not in report

    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "monitoring-drift.png", full_page=True)
    audit = Audit(page)
    audit.check("monitoring, data drift")
    audit.assert_clean()


def test_an_officer_is_refused_the_drift_page(page: Page, served_app: ServedApp) -> None:
    sign_in_as(page, served_app, OFFICER)
    page.goto(f"{served_app.base_url}/monitoring/drift")
    expect(page.get_by_role("alert")).to_contain_text("officer role may not view monitoring")
    expect(page.locator("#drift-table")).to_have_count(0)
