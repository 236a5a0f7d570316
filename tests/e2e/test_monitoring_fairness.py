"""The fairness page in a real Chromium: an analyst reads it (screenshot, axe-core in light
and dark mode) and sorts a table; an officer is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from credit_app.ml import synth
from credit_app.services.values import json_records
from tests.e2e.accessibility import Audit
from tests.e2e.conftest import ANALYST, OFFICER, ServedApp, sign_in_as
from tests.e2e.test_monitoring import send_traffic
from tests.e2e.test_officer_pages import SCREENSHOTS

pytestmark = pytest.mark.e2e
BATCH = 600
ATTRIBUTES = ("gender", "age-band", "family-status")


def score_a_batch(page: Page, app: ServedApp) -> None:
    """Synthetic applicants scored in one JSON batch through the API, as an officer: enough
    decisions for the largest groups to be judged."""
    token = page.request.post(
        f"{app.base_url}/api/v1/auth/token",
        form={"username": OFFICER.username, "password": OFFICER.password},
    ).json()["access_token"]
    rows = json_records(synth.generate(BATCH, seed=31).drop(columns=["TARGET", "SK_ID_CURR"]))
    response = page.request.post(
        f"{app.base_url}/api/v1/score/batch",
        data=rows,
        headers={"Authorization": f"Bearer {token}"},
        timeout=120_000,
    )
    assert response.ok and response.json()["scored"] == BATCH, response.text()


def test_an_analyst_reads_the_fairness_page(page: Page, served_app: ServedApp) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    send_traffic(page, served_app)
    score_a_batch(page, served_app)
    sign_in_as(page, served_app, ANALYST)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Monitoring").click()
    page.get_by_role("navigation", name="Monitoring pages").get_by_role(
        "link", name="Fairness"
    ).click()
    expect(page.get_by_role("heading", name="Fairness", level=1)).to_be_visible()
    expect(page.locator("#decisions")).not_to_have_text(re.compile(r"^(0|)$"))
    expect(page.locator("#flagged")).to_have_text(re.compile(r"^\d+$"))
    expect(page.locator("#fairness-explanation")).to_contain_text("four-fifths rule")
    for name in ATTRIBUTES:
        expect(page.locator(f"#{name}-reference")).to_contain_text("Reference group:")
        expect(page.locator(f"#{name}-table tbody tr").first).to_be_visible()
        expect(page.locator(f"#{name}-chart .main-svg").first).to_be_visible()
    gender = page.locator("#gender-table")
    expect(gender).to_contain_text("Female")
    expect(gender.locator("tbody tr").first).to_contain_text("Reference")
    expect(page.locator("#age-band-table")).to_contain_text("Under 25")
    expect(page.locator("#family-status-table")).to_contain_text("Married")
    expect(page.locator("#age-band-table")).to_contain_text(re.compile(r"\d% \(\d"))
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "monitoring-fairness.png", full_page=True)
    audit = Audit(page)
    audit.check("monitoring, fairness")
    audit.assert_clean()

    # A click on Decisions sorts the gender table alone, fewest first: Female, the reference
    # with the most decisions, is no longer first; a second click brings it back.
    decisions = gender.get_by_role("columnheader", name="Decisions")
    expect(decisions).to_have_attribute("aria-sort", "none")
    expect(gender.get_by_role("columnheader", name="Group")).to_have_attribute(
        "aria-sort", "ascending"
    )
    first_age = page.locator("#age-band-table tbody tr").first
    first_age_text = first_age.text_content() or ""
    decisions.get_by_role("button").click()
    expect(decisions).to_have_attribute("aria-sort", "ascending")
    expect(gender.get_by_role("columnheader", name="Group")).to_have_attribute("aria-sort", "none")
    expect(gender.locator("tbody tr").first).not_to_contain_text("Female")
    decisions.get_by_role("button").click()
    expect(decisions).to_have_attribute("aria-sort", "descending")
    expect(gender.locator("tbody tr").first).to_contain_text("Female")
    for other in ("#age-band-table", "#family-status-table"):
        header = page.locator(other).get_by_role("columnheader", name="Decisions")
        expect(header).to_have_attribute("aria-sort", "none")
    expect(first_age).to_have_text(first_age_text)


def test_an_officer_is_refused_the_fairness_page(page: Page, served_app: ServedApp) -> None:
    sign_in_as(page, served_app, OFFICER)
    page.goto(f"{served_app.base_url}/monitoring/fairness")
    expect(page.get_by_role("alert")).to_contain_text("officer role may not view monitoring")
    expect(page.locator("#gender-table, #decisions, #age-band-chart")).to_have_count(0)
