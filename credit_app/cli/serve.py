"""`credit-app serve`: check what the workers need, then run the app in production mode."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from credit_app.cli.common import settings_or_exit
from credit_app.cli.startup import database_ready, model_ready, redis_ready
from credit_app.config import Settings
from credit_app.db.capacity import PoolSize
from credit_app.db.migrations import PROJECT_ROOT
from credit_app.ml import use_scoring_threads


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve", help="run pages and API on one port (production mode), on a migrated database"
    )
    serve.add_argument("--port", type=int, help="port for pages and /api/v1 (default 3000)")
    serve.add_argument(
        "--migrate",
        action="store_true",
        help="apply pending migrations first (else the schema must be at the newest revision: "
        "with several replicas, run `credit-app db upgrade` once instead)",
    )
    serve.set_defaults(handler=_serve)


def reflex_environment(settings: Settings, pools: PoolSize) -> dict[str, str]:
    """The environment for the Reflex process: our port, workers and pools, npm from the venv,
    no telemetry."""
    env = dict(os.environ)
    env["CREDIT_APP_PORT"] = str(settings.port)
    # Granian's worker count; Reflex's own default (2 x cores + 1) is used by nothing else.
    env["GRANIAN_WORKERS"] = str(settings.workers)
    env["CREDIT_APP_DB_POOL_SIZE"] = str(pools.pool_size)
    env["CREDIT_APP_DB_MAX_OVERFLOW"] = str(pools.max_overflow)
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
    pools = database_ready(settings, migrate=args.migrate)
    redis_ready(settings.redis_url)
    model_ready(settings.model_dir)
    port = settings.port
    workers = f"{settings.workers} worker{'s' if settings.workers > 1 else ''}"
    print(f"Credit Risk Desk: starting {workers} on http://localhost:{port}/login", flush=True)
    command = [
        sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
        "--frontend-port", str(port), "--backend-port", str(port),
    ]  # fmt: skip
    os.chdir(PROJECT_ROOT)
    os.execvpe(command[0], command, reflex_environment(settings, pools))
