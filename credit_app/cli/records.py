"""`credit-app clients import` and `credit-app apikeys create`."""

from __future__ import annotations

import argparse
from pathlib import Path

from credit_app.cli.common import CLI, CommandError, services_or_exit
from credit_app.domain import Role
from credit_app.services import api_keys
from credit_app.services.errors import ServiceError

SHOWN_PROBLEMS = 20


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("clients", help="client records").add_subparsers(
        dest="clients_command", required=True, metavar="ACTION"
    )
    load = group.add_parser(
        "import",
        help="upsert clients from a Home Credit file (application_train or application_test); "
        "TARGET values are recorded as outcomes",
    )
    load.add_argument("--data", required=True, type=Path, help="CSV file")
    load.set_defaults(handler=_import)

    keys = commands.add_parser("apikeys", help="API keys for machine callers").add_subparsers(
        dest="apikeys_command", required=True, metavar="ACTION"
    )
    create = keys.add_parser("create", help="create a key; it is printed once, only its hash kept")
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.set_defaults(handler=_create_key)


def _import(args: argparse.Namespace) -> int:
    """Load, report bad rows, upsert the good ones (pandas imported only here)."""
    from credit_app.ml.loader import DataFileError, load_applications
    from credit_app.services import clients

    path: Path = args.data
    services = services_or_exit()
    try:
        loaded = load_applications(path)
    except DataFileError as exc:
        raise CommandError(f"{path}: {exc}") from None
    for problem in loaded.problems[:SHOWN_PROBLEMS]:
        print(f"{path}: {problem}", flush=True)
    if len(loaded.problems) > SHOWN_PROBLEMS:
        print(f"{path}: ... and {len(loaded.problems) - SHOWN_PROBLEMS} more problems")
    with services.session() as session:
        report = clients.import_clients(
            session, CLI, loaded.frame, secret=services.settings.secret_key
        )
    print(
        f"Imported {report.created + report.updated} clients ({report.created} new, "
        f"{report.updated} updated), {report.outcomes} outcomes recorded."
    )
    return 0


def _create_key(args: argparse.Namespace) -> int:
    services = services_or_exit()
    try:
        with services.session() as session:
            new = api_keys.create_api_key(session, CLI, name=args.name, role=args.role)
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    print(f"API key for {new.name!r} ({new.role}); it is shown only now:\n{new.key}")
    return 0
