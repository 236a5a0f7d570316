"""`credit-app serve`: migrate, prepare the demo if asked, run the app in production mode."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from credit_app.cli.common import migrate_or_exit, settings_or_exit
from credit_app.db.migrations import PROJECT_ROOT
from credit_app.ml import use_scoring_threads


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve", help="migrate the database and run pages and API on one port (production mode)"
    )
    serve.add_argument("--port", type=int, help="port for pages and /api/v1 (default 3000)")
    serve.set_defaults(handler=_serve)


def reflex_environment(port: int) -> dict[str, str]:
    """The environment for the Reflex process: our port, npm from the venv, no telemetry."""
    env = dict(os.environ)
    env["CREDIT_APP_PORT"] = str(port)
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    env.setdefault("REFLEX_USE_NPM", "1")
    use_scoring_threads(env)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([venv_bin, env.get("PATH", "")])
    return env


def _serve(args: argparse.Namespace) -> int:
    if args.port is not None:
        os.environ["CREDIT_APP_PORT"] = str(args.port)
    settings = settings_or_exit()
    migrate_or_exit(settings)
    port = settings.port
    print(f"Credit Risk Desk: starting on http://localhost:{port}/login", flush=True)
    command = [
        sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
        "--frontend-port", str(port), "--backend-port", str(port),
    ]  # fmt: skip
    os.chdir(PROJECT_ROOT)
    os.execvpe(command[0], command, reflex_environment(port))
