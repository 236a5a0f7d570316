"""Signing in and out through a real Chromium against the app served in production mode."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from credit_app.services.sessions import SESSION_COOKIE
from tests.e2e.conftest import OFFICER, ServedApp


def sign_in(page: Page, app: ServedApp, username: str, password: str) -> None:
    page.goto(f"{app.base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_wrong_password_shows_a_message(page: Page, served_app: ServedApp) -> None:
    sign_in(page, served_app, OFFICER.username, "definitely-wrong")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_officer_signs_in_lands_and_signs_out(page: Page, served_app: ServedApp) -> None:
    sign_in(page, served_app, OFFICER.username, OFFICER.password)
    expect(page.get_by_role("heading", name=f"Welcome, {OFFICER.username}")).to_be_visible()
    expect(page.locator("#signed-in-user")).to_have_text(OFFICER.username)
    stolen = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    assert len(stolen) == 1 and stolen[0]["value"]
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    page.goto(f"{served_app.base_url}/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    # A copy of the cookie taken before signing out no longer opens a page.
    page.context.add_cookies(stolen)
    page.goto(f"{served_app.base_url}/clients")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_private_page_redirects_to_login(page: Page, served_app: ServedApp) -> None:
    page.goto(f"{served_app.base_url}/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_api_health_on_the_same_port(page: Page, served_app: ServedApp) -> None:
    response = page.request.get(f"{served_app.base_url}/api/v1/health")
    assert response.ok
    assert response.json()["status"] == "ok"


def test_api_is_ready_with_the_model(page: Page, served_app: ServedApp) -> None:
    response = page.request.get(f"{served_app.base_url}/api/v1/ready")
    assert response.ok, response.text()
    assert response.json()["status"] == "ready"


def test_api_documentation_renders_without_internet(page: Page, served_app: ServedApp) -> None:
    outside: list[str] = []

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(served_app.base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto(f"{served_app.base_url}/api/v1/docs")
    expect(page.get_by_role("heading", name=re.compile("Credit Risk Desk API"))).to_be_visible()
    expect(page.get_by_text("/api/v1/score/batch", exact=True)).to_be_visible()
    assert outside == []


def test_signing_out_in_one_tab_ends_the_session_in_the_others(
    page: Page, served_app: ServedApp
) -> None:
    sign_in(page, served_app, OFFICER.username, OFFICER.password)
    expect(page.get_by_role("heading", name=f"Welcome, {OFFICER.username}")).to_be_visible()
    other_tab = page.context.new_page()
    other_tab.goto(f"{served_app.base_url}/clients")
    expect(other_tab.locator("#clients-table tbody tr").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/?$"))
    other_tab.get_by_role("button", name="Search").click()  # an event on the open page
    expect(other_tab.get_by_role("heading", name="Your session has ended")).to_be_visible()
    expect(other_tab.locator("#clients-table tbody tr")).to_have_count(0)  # no client shown
    other_tab.get_by_role("link", name="Sign in again").click()
    expect(other_tab.get_by_role("button", name="Sign in")).to_be_visible()
