"""The monitoring pages in a real Chromium: an analyst reads them (with screenshots, and
axe-core in light and dark mode); an officer is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from credit_app.ml import synth
from tests.e2e.accessibility import Audit
from tests.e2e.conftest import ANALYST, OFFICER, ServedApp, sign_in_as
from tests.e2e.test_officer_pages import SCREENSHOTS

pytestmark = pytest.mark.e2e
SCORES = 40


def send_traffic(page: Page, app: ServedApp) -> None:
    """Scores and a few bad requests through the API, as an officer's token."""
    token = page.request.post(
        f"{app.base_url}/api/v1/auth/token",
        form={"username": OFFICER.username, "password": OFFICER.password},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    frame = synth.generate(SCORES, seed=12).drop(columns=["TARGET"])
    for record in frame.to_dict(orient="records"):
        applicant = {k: v for k, v in record.items() if v == v and k != "SK_ID_CURR"}
        response = page.request.post(
            f"{app.base_url}/api/v1/score", data=applicant, headers=headers
        )
        assert response.ok, response.text()
    for _ in range(3):
        bad = page.request.post(
            f"{app.base_url}/api/v1/score", data={"AMT_CREDIT": -5}, headers=headers
        )
        assert bad.status == 422


def test_an_analyst_reads_the_monitoring_pages(page: Page, served_app: ServedApp) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    send_traffic(page, served_app)
    sign_in_as(page, served_app, ANALYST)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Monitoring").click()
    # The analyst's home: one verdict, and each signal with its level in words and a link.
    expect(page.get_by_role("heading", name="Is the model healthy?")).to_be_visible()
    expect(page.locator("#overview-verdict")).to_contain_text(
        re.compile(r"too little data to judge|healthy|watching|Action needed|Not enough")
    )
    signals = ("score", "drift", "discrimination", "calibration", "approval", "errors", "latency")
    for signal in signals:
        card = page.locator(f"#signal-{signal}")
        expect(card).to_contain_text(re.compile(r"OK|Watch|Act|Not enough data"))
        expect(card.get_by_role("link", name="See the details")).to_be_visible()
    expect(page.locator("#signal-errors")).to_contain_text("requests")
    page.wait_for_timeout(500)
    page.screenshot(path=SCREENSHOTS / "monitoring-overview.png", full_page=True)
    overview_audit = Audit(page)
    overview_audit.check("monitoring, overview")
    overview_audit.assert_clean()
    page.locator("#signal-latency").get_by_role("link", name="See the details").click()
    expect(page.get_by_role("heading", name="Service health")).to_be_visible()
    expect(page.locator("#requests")).not_to_have_text(re.compile(r"^(0|)$"))
    expect(page.locator("#error-rate")).to_have_text(re.compile(r"%$"))
    expect(page.locator("#requests-chart .main-svg").first).to_be_visible()
    expect(page.locator("#latency-chart .main-svg").first).to_be_visible()
    expect(page.locator("#errors-table tbody tr").first).to_contain_text("422")
    expect(page.locator("#slowest-table tbody tr")).to_have_count(10)
    # A slow request's prediction opens in the browser, for the signed-in analyst.
    href = page.locator("#slowest-table tbody tr a").first.get_attribute("href")
    record = page.request.get(f"{served_app.base_url}{href}")
    assert record.ok and record.json()["prediction_id"].startswith(href.rsplit("/", 1)[1][:8])
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "monitoring-service.png", full_page=True)
    audit = Audit(page)
    audit.check("monitoring, service")

    # The slowest requests come slowest first; a click on Latency puts the fastest first,
    # a click on When sorts by time; the headers say how the table is sorted.
    slowest = page.locator("#slowest-table")
    latency = slowest.get_by_role("columnheader", name="Latency")
    when = slowest.get_by_role("columnheader", name="When")
    expect(latency).to_have_attribute("aria-sort", "descending")
    expect(slowest.get_by_role("columnheader", name="Prediction")).not_to_have_attribute(
        "aria-sort", re.compile(".")
    )
    first = slowest.locator("tbody tr").first
    slowest_first = first.text_content() or ""
    latency.get_by_role("button").click()
    expect(latency).to_have_attribute("aria-sort", "ascending")
    expect(first).not_to_have_text(slowest_first)
    milliseconds = [
        float(text.split()[0].replace(",", ""))
        for text in slowest.locator("tbody tr td:nth-child(4)").all_inner_texts()
    ]
    assert milliseconds == sorted(milliseconds)
    when.get_by_role("button").click()
    expect(when).to_have_attribute("aria-sort", "ascending")
    expect(latency).to_have_attribute("aria-sort", "none")
    # The errors' table keeps its own order.
    expect(
        page.locator("#errors-table").get_by_role("columnheader", name="Status")
    ).to_have_attribute("aria-sort", "ascending")

    # The API channel alone, over the last 24 hours.
    page.get_by_role("combobox", name="Channel").click()
    page.get_by_role("option", name="API").click()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#slowest-table tbody tr").first).to_contain_text("API")

    page.get_by_role("navigation", name="Monitoring pages").get_by_role(
        "link", name="Decisions"
    ).click()
    expect(page.get_by_role("heading", name="Decisions", exact=True)).to_be_visible()
    expect(page.locator("#approval-rate")).to_have_text(re.compile(r"%$"))
    expect(page.locator("#psi-verdict")).to_contain_text(re.compile("PSI|Not enough"))
    expect(page.locator("#approval-chart .main-svg").first).to_be_visible()
    expect(page.locator("#score-chart .main-svg").first).to_be_visible()
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "monitoring-decisions.png", full_page=True)
    audit.check("monitoring, decisions")

    page.get_by_role("navigation", name="Monitoring pages").get_by_role(
        "link", name="Model"
    ).click()
    expect(page.get_by_role("heading", name="The model in service")).to_be_visible()
    expect(page.locator("#model-card")).to_contain_text("lgbm-")
    expect(page.locator("#importance-chart .main-svg").first).to_be_visible()
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "monitoring-model.png", full_page=True)
    audit.check("monitoring, model")
    audit.assert_clean()


def test_an_officer_is_refused_the_monitoring_pages(page: Page, served_app: ServedApp) -> None:
    sign_in_as(page, served_app, OFFICER)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Monitoring")).to_have_count(0)
    for path in (
        "/monitoring",
        "/monitoring/service",
        "/monitoring/decisions",
        "/monitoring/model",
    ):
        page.goto(f"{served_app.base_url}{path}")
        expect(page.get_by_role("alert")).to_contain_text("officer role may not view monitoring")
        expect(page.locator("#requests, #decisions, #model-card, #signal-score")).to_have_count(0)
