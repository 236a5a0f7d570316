"""`credit-app monitoring rollup`: roll up the closed hours of the prediction log (activity
and drift) for the monitoring pages.

The served app does this every minute in each worker; the command is for a log filled
while no app ran (an import, a benchmark) and for operators who want it done now."""

from __future__ import annotations

import argparse

from credit_app.cli.common import CLI, services_or_exit


def register(commands: argparse._SubParsersAction) -> None:
    monitoring = commands.add_parser("monitoring", help="monitoring upkeep").add_subparsers(
        dest="monitoring_command", required=True, metavar="ACTION"
    )
    monitoring.add_parser(
        "rollup", help="roll up every closed hour of predictions not rolled up yet"
    ).set_defaults(handler=_rollup)


def _rollup(_args: argparse.Namespace) -> int:
    from credit_app.services.monitoring_rollups import build_rollups

    services = services_or_exit()
    written = services.call(build_rollups, CLI, services.models)
    print(f"Wrote {written} rollup(s) of closed hours (per hour and channel, activity and drift).")
    return 0
