"""The real app, served in production mode by `credit-app serve`, and a real Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.serving import ServedApp, app_environment, run_cli, served

__all__ = ["ServedApp"]  # the e2e tests take it from here

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str


OFFICER = Account("olivia.officer", "officer-pass-1234", "officer")
ANALYST = Account("arthur.analyst", "analyst-pass-1234", "analyst")
#: Every account the served app is started with; add one here to use it in a test.
ACCOUNTS = (OFFICER, ANALYST)


def sign_in_as(page: Page, app: ServedApp, account: Account) -> None:
    """Sign in through the form and wait for the landing page."""
    page.goto(f"{app.base_url}/login")
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {account.username}")).to_be_visible()


CLIENT_ROWS = 300
#: Workers of the served app when its state is in Redis (as in production, several).
SERVED_WORKERS = 2


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[ServedApp]:
    """The app as `make run` serves it, with a small model and synthetic clients."""
    from credit_app.ml import synth

    data_dir = tmp_path_factory.mktemp("served")
    # Its own copy of the model, which a test may replace and put back.
    served_model = data_dir / "model"
    shutil.copytree(model_dir, served_model)
    env = app_environment(data_dir, served_model)
    if os.environ.get("TEST_REDIS_URL"):
        # As in production: Reflex keeps its per-tab state in Redis, shared by workers.
        env["CREDIT_APP_REDIS_URL"] = os.environ["TEST_REDIS_URL"]
        env["CREDIT_APP_WORKERS"] = str(SERVED_WORKERS)
    for account in ACCOUNTS:
        run_cli(
            ["users", "create", "--username", account.username, "--role", account.role],
            env,
            account.password + "\n",
        )
    clients_file = data_dir / "clients.csv"
    synth.write_csv(synth.generate(CLIENT_ROWS, seed=21), clients_file)
    run_cli(["clients", "import", "--data", str(clients_file)], env)
    try:
        with served(env, data_dir / "serve.log", ready_path="/login/") as app:
            yield app
    except RuntimeError as error:
        pytest.fail(str(error))


def chromium_executable() -> str | None:
    """CREDIT_APP_CHROMIUM, else the system's chromium, else Playwright's own download."""
    configured = os.environ.get("CREDIT_APP_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    executable = chromium_executable()
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if executable:
        args["executable_path"] = executable
    return args
