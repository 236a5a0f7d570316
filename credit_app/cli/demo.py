"""`credit-app demo prepare`: what `make run` needs for a first look, created once.

Heavy modules (pandas, LightGBM) are imported inside the handlers so that every
`credit-app` command starts quickly."""

from __future__ import annotations

import argparse

from credit_app.cli.common import services_or_exit
from credit_app.services.actors import system_actor


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="demo mode").add_subparsers(
        dest="demo_command", required=True, metavar="ACTION"
    )
    demo.add_parser(
        "prepare",
        help="migrate; create demo accounts, synthetic clients, a demo model and three months "
        "of scoring history if absent",
    ).set_defaults(handler=_prepare)


def _prepare(_args: argparse.Namespace) -> int:
    from credit_app.services import demo

    services = services_or_exit()
    settings = services.settings
    if settings.is_production:
        print("Production mode (CREDIT_APP_ENV=production): no demo accounts, data or model.")
        return 0
    actor = system_actor("demo")
    with services.session() as session:
        accounts = demo.ensure_demo_accounts(
            session, actor, credentials=demo.credentials_path(settings)
        )
    if demo.ensure_demo_model(
        settings, progress=lambda line: print(f"  training: {line}", flush=True)
    ):
        print(f"Trained the demo model into {settings.model_dir}.")
    with services.session() as session:
        created = demo.ensure_demo_clients(
            session, actor, data=demo.ensure_demo_data(settings), secret=settings.secret_key
        )
    if created:
        print(f"Imported {created} synthetic demo clients.")
    with services.session() as session:
        traffic = demo.ensure_demo_traffic(session, actor, services.scoring)
    if traffic:
        channels = ", ".join(f"{n} {c}" for c, n in sorted(traffic.channels.items()))
        print(
            f"Wrote {traffic.predictions} demo predictions from {traffic.start:%Y-%m-%d} to "
            f"{traffic.end:%Y-%m-%d} ({channels}; {traffic.failures} refused with 422) and "
            f"{traffic.outcomes} outcomes."
        )
    print(f"\nSign in at http://localhost:{settings.port}/login with one of:")
    for username, password in accounts.items():
        print(f"  username {username:<8} password {password}")
    print(f"(kept in {demo.credentials_path(settings)})\n", flush=True)
    return 0
