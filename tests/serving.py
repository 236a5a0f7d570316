"""The app served in a process of its own, as a user serves it (`credit-app serve`), for the
end-to-end and load tests and the benchmarks: start, wait until it answers, stop with
SIGTERM (what a process manager sends), and run `credit-app` commands with its settings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: The first start builds the web frontend; later ones reuse it.
STARTUP_SECONDS = 420
STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_environment(data_dir: Path, model_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without its CREDIT_APP_* settings, then the given ones:
    a data directory (its SQLite database unless CREDIT_APP_DATABASE_URL is given), a model
    and a free port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDIT_APP_")}
    env.update(
        {
            "CREDIT_APP_DATA_DIR": str(data_dir),
            "CREDIT_APP_MODEL_DIR": str(model_dir),
            "CREDIT_APP_PORT": str(free_port()),
        }
    )
    env.update(settings)
    return env


def cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    """Run `credit-app` with exactly these settings, whatever its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "credit_app.cli", *args],
        input=stdin,
        text=True,
        env=env,
        capture_output=True,
        timeout=300,
    )


def run_cli(args: list[str], env: dict[str, str], stdin: str = "") -> str:
    """Run `credit-app` with these settings; its standard output (CalledProcessError if it
    fails)."""
    done = cli(args, env, stdin)
    done.check_returncode()
    return done.stdout


def serve_command(env: dict[str, str]) -> list[str]:
    return [sys.executable, "-m", "credit_app.cli", "serve", "--port", env["CREDIT_APP_PORT"]]


@dataclass
class ServedApp:
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.env['CREDIT_APP_PORT']}"

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = STOP_SECONDS) -> int:
        """SIGTERM to the whole process group (Reflex, Granian and its workers); SIGKILL
        only if it has not exited in time. The exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start(
    env: dict[str, str],
    log_path: Path,
    *,
    command: list[str] | None = None,
    ready_path: str = "/api/v1/health",
    cwd: Path | None = None,
) -> ServedApp:
    """Start the app (`credit-app serve` unless another command is given) in a process
    group of its own and return once `ready_path` answers 200; RuntimeError with the log's
    end if it exits or does not answer in time."""
    with log_path.open("a") as log:
        process = subprocess.Popen(
            command or serve_command(env),
            env=env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = ServedApp(env, log_path, process)
    try:
        _wait_until_answering(app, ready_path)
    except BaseException:
        app.stop()
        raise
    return app


@contextmanager
def served(env: dict[str, str], log_path: Path, **options: object) -> Iterator[ServedApp]:
    """The app served for the duration of the block, stopped with SIGTERM after."""
    app = start(env, log_path, **options)  # type: ignore[arg-type]
    try:
        yield app
    finally:
        app.stop()


def _wait_until_answering(app: ServedApp, path: str) -> None:
    url = f"{app.base_url}{path}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise RuntimeError(f"the app exited with {app.process.returncode}:\n{app.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the app did not serve {url} in {STARTUP_SECONDS}s:\n{app.log_tail()}")
