"""The real app, served in production mode by `credit-app serve`, and a real Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

STARTUP_SECONDS = 420
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class ServedApp:
    base_url: str
    env: dict[str, str]
    log_path: Path
    pid: int  # the Reflex process: Granian's supervisor, whose children are the workers
    model_dir: Path  # the served app's own copy, which a test may change and put back


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    """Run `credit-app` with the served app's settings; its standard output."""
    return subprocess.run(
        [sys.executable, "-m", "credit_app.cli", *args],
        input=stdin,
        text=True,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout


def _wait_until_serving(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the app exited with {process.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    pytest.fail(
        f"the app did not serve {url} in {STARTUP_SECONDS}s:\n{log_path.read_text()[-4000:]}"
    )


CLIENT_ROWS = 300
#: Workers of the served app when its state is in Redis (as in production, several).
SERVED_WORKERS = 2


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Iterator[ServedApp]:
    """The app as `make run` serves it, with a small model and synthetic clients."""
    from credit_app.ml import synth

    data_dir = tmp_path_factory.mktemp("served")
    served_model = data_dir / "model"
    shutil.copytree(model_dir, served_model)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_APP_")}
    env.update(
        {
            "CREDIT_APP_DATA_DIR": str(data_dir),
            "CREDIT_APP_PORT": str(port),
            "CREDIT_APP_MODEL_DIR": str(served_model),
        }
    )
    if os.environ.get("TEST_REDIS_URL"):
        # As in production: Reflex keeps its per-tab state in Redis, shared by workers.
        env["CREDIT_APP_REDIS_URL"] = os.environ["TEST_REDIS_URL"]
        env["CREDIT_APP_WORKERS"] = str(SERVED_WORKERS)
    _cli(["db", "upgrade"], env)
    for account in ACCOUNTS:
        _cli(
            ["users", "create", "--username", account.username, "--role", account.role],
            env,
            account.password + "\n",
        )
    clients_file = data_dir / "clients.csv"
    synth.write_csv(synth.generate(CLIENT_ROWS, seed=21), clients_file)
    _cli(["clients", "import", "--data", str(clients_file)], env)
    log_path = data_dir / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "credit_app.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(f"{base_url}/login/", process, log_path)
        yield ServedApp(base_url, env, log_path, process.pid, served_model)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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
