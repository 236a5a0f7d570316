"""`credit-app demo prepare`: what `make run` needs for a first look, created once.

Heavy modules (pandas, LightGBM) are imported inside the handlers so that every
`credit-app` command starts quickly."""

from __future__ import annotations

import argparse

from credit_app.cli.common import migrate_or_exit, settings_or_exit


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="demo mode").add_subparsers(
        dest="demo_command", required=True, metavar="ACTION"
    )
    demo.add_parser(
        "prepare",
        help="migrate; create demo accounts, synthetic clients and a demo model if absent",
    ).set_defaults(handler=_prepare)


def _prepare(_args: argparse.Namespace) -> int:
    from credit_app.services.demo import (
        ensure_demo_accounts,
        ensure_demo_clients,
        ensure_demo_model,
    )

    settings = settings_or_exit()
    migrate_or_exit(settings)
    if settings.is_production:
        print("Production mode (CREDIT_APP_ENV=production): no demo accounts, data or model.")
        return 0
    accounts = ensure_demo_accounts(settings)
    if ensure_demo_model(settings, progress=lambda line: print(f"  training: {line}", flush=True)):
        print(f"Trained the demo model into {settings.model_dir}.")
    created = ensure_demo_clients(settings)
    if created:
        print(f"Imported {created} synthetic demo clients.")
    print(f"\nSign in at http://localhost:{settings.port}/login with one of:")
    for username, password in accounts.items():
        print(f"  username {username:<8} password {password}")
    print(f"(kept in {settings.data_dir / 'demo_credentials.json'})\n", flush=True)
    return 0
