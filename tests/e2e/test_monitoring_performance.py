"""The performance page in a real Chromium: clients decided and their outcomes recorded
through the API, then an analyst reads the page (screenshot, axe-core in light and dark
mode) and sorts its tables; an officer is refused."""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from credit_app.ml import synth
from tests.e2e.accessibility import Audit
from tests.e2e.conftest import ANALYST, CLIENT_ROWS, OFFICER, Account, ServedApp, sign_in_as
from tests.e2e.test_officer_pages import SCREENSHOTS

pytestmark = pytest.mark.e2e
#: The served app's clients from this one on are decided here (the officer pages' tests use
#: the first ones).
FIRST_DECIDED = 100
NEW_APPLICANTS = 600


def _headers(request: APIRequestContext, app: ServedApp, account: Account) -> dict[str, str]:
    token = request.post(
        f"{app.base_url}/api/v1/auth/token",
        form={"username": account.username, "password": account.password},
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def decide_and_record(request: APIRequestContext, app: ServedApp) -> int:
    """An officer scores clients and a batch of new applicants; an analyst records the
    clients' outcomes, drawn (fixed seed) at three times the predicted risk so that there are
    enough defaults to judge. Returns the number of outcomes recorded."""
    officer, analyst = _headers(request, app, OFFICER), _headers(request, app, ANALYST)
    rng = np.random.default_rng(41)
    outcomes = []
    for sk_id in range(synth.FIRST_ID + FIRST_DECIDED, synth.FIRST_ID + CLIENT_ROWS):
        scored = request.post(f"{app.base_url}/api/v1/clients/{sk_id}/score", headers=officer)
        assert scored.ok, scored.text()
        risk = min(0.9, 3 * scored.json()["probability"])
        outcomes.append({"client": str(sk_id), "defaulted": bool(rng.random() < risk)})
    recorded = request.post(
        f"{app.base_url}/api/v1/outcomes", data={"outcomes": outcomes}, headers=analyst
    )
    assert recorded.status == 201, recorded.text()
    # New applicants (not clients): the estimates count them, the realised figures cannot.
    frame = synth.generate(NEW_APPLICANTS, seed=42).drop(columns=["TARGET", "SK_ID_CURR"])
    applicants = [
        {k: v for k, v in record.items() if v == v} for record in frame.to_dict(orient="records")
    ]
    batch = request.post(f"{app.base_url}/api/v1/score/batch", data=applicants, headers=officer)
    assert batch.ok and batch.json()["scored"] == NEW_APPLICANTS, batch.text()
    return len(outcomes)


def test_an_analyst_reads_realised_and_estimated_performance(
    page: Page, served_app: ServedApp
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    recorded = decide_and_record(page.request, served_app)
    sign_in_as(page, served_app, ANALYST)
    page.goto(f"{served_app.base_url}/monitoring/service")
    page.get_by_role("navigation", name="Monitoring pages").get_by_role(
        "link", name="Performance"
    ).click()
    expect(page.get_by_role("heading", name="Realised and estimated performance")).to_be_visible()
    expect(page.locator("#with-outcome")).to_have_text(f"{recorded:,}")
    # Enough outcomes to judge: the verdict weighs the AUC against the model card's.
    expect(page.locator("#performance-verdict")).to_contain_text("model card")
    expect(page.locator("#realised-auc")).to_have_text(re.compile(r"^0\.\d{3}$"))
    expect(page.locator("#estimated-auc")).to_have_text(re.compile(r"^0\.\d{3}$"))
    table = page.locator("#months-table")
    expect(table.locator("tbody tr")).to_have_count(2)  # this month, and all months
    expect(table.locator("tbody tr").last).to_contain_text("All months")
    expect(table.locator("tbody tr").first).to_contain_text(re.compile(r"Below|Not below"))
    expect(table.locator("tbody tr").first).to_contain_text(re.compile(r"\d+ green"))
    # A click on a header sorts by it; a second one reverses the order.
    auc_header = table.get_by_role("columnheader", name="AUC (95 % interval)")
    auc_header.get_by_role("button").click()
    expect(auc_header).to_have_attribute("aria-sort", "ascending")
    auc_header.get_by_role("button").click()
    expect(auc_header).to_have_attribute("aria-sort", "descending")
    expect(table.get_by_role("columnheader", name="Month")).to_have_attribute("aria-sort", "none")
    expect(page.locator("#auc-chart .main-svg").first).to_be_visible()
    expect(page.locator("#calibration-chart .main-svg").first).to_be_visible()
    calibration = page.locator("#calibration-table tbody tr")
    expect(calibration).to_have_count(10)
    expect(calibration.first).to_contain_text(re.compile(r"(Green|Amber|Red): "))
    expect(page.locator("#estimate-assumption")).to_contain_text("calibrated")
    estimates = page.locator("#estimates-table tbody tr")
    expect(estimates.last).to_contain_text("Whole window")
    expect(estimates.last).not_to_contain_text("Too few")
    page.wait_for_timeout(800)
    page.screenshot(path=SCREENSHOTS / "monitoring-performance.png", full_page=True)
    audit = Audit(page)
    audit.check("monitoring, performance")

    # The calibration table sorts on its own: by decile first; a click on Decile reverses it.
    decile = page.locator("#calibration-table").get_by_role("columnheader", name="Decile")
    expect(decile).to_have_attribute("aria-sort", "ascending")
    expect(calibration.first.get_by_role("rowheader")).to_have_text("1")
    decile.get_by_role("button").click()
    expect(decile).to_have_attribute("aria-sort", "descending")
    expect(calibration.first.get_by_role("rowheader")).to_have_text("10")
    expect(calibration.last.get_by_role("rowheader")).to_have_text("1")
    expect(auc_header).to_have_attribute("aria-sort", "descending")  # the months' own order

    # The officer pages' channel alone: none of these decisions, so nothing to judge.
    page.get_by_role("combobox", name="Channel").click()
    page.get_by_role("option", name="Officer page").click()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#with-outcome")).to_have_text("0")
    expect(page.locator("#performance-verdict")).to_contain_text(
        "Not enough data to judge (0 defaults, need 30)"
    )
    expect(page.locator("#calibration-note")).to_contain_text("Not enough data to judge")
    audit.check("monitoring, performance, not enough data")
    audit.assert_clean()


def test_an_officer_is_refused_the_performance_page(page: Page, served_app: ServedApp) -> None:
    sign_in_as(page, served_app, OFFICER)
    page.goto(f"{served_app.base_url}/monitoring/performance")
    expect(page.get_by_role("alert")).to_contain_text("officer role may not view monitoring")
    expect(page.locator("#months-table, #with-outcome, #auc-chart")).to_have_count(0)
