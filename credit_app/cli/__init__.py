"""The `credit-app` command: one sub-command family per module in this package."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from credit_app.cli import db, demo, ml, monitoring, records, serve, traffic, users
from credit_app.cli.common import CommandError
from credit_app.services.errors import ServiceError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="credit-app", description="Credit default-risk scoring: serve, train, score."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (serve, db, users, records, demo, ml, monitoring, traffic):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (CommandError, ServiceError) as exc:  # a refusal or a missing model: one line
        print(f"credit-app: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
