"""`credit-app users create`: accounts for officers, analysts and admins."""

from __future__ import annotations

import argparse
import getpass
import sys

from credit_app.cli.common import CLI, CommandError, services_or_exit
from credit_app.domain import Role
from credit_app.services import users
from credit_app.services.errors import ServiceError


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("users", help="user accounts").add_subparsers(
        dest="users_command", required=True, metavar="ACTION"
    )
    create = group.add_parser(
        "create", help="create a user; the password is read from standard input"
    )
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.set_defaults(handler=_create)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Repeat password: "):
            raise CommandError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CommandError("no password on standard input")
    return line.rstrip("\r\n")


def _create(args: argparse.Namespace) -> int:
    services = services_or_exit()
    password = _read_password()
    try:
        with services.session() as session:
            user = users.create_user(
                session, CLI, username=args.username, password=password, role=args.role
            )
    except ServiceError as exc:
        raise CommandError(str(exc)) from None
    print(f"Created {user.role} {user.username!r}.")
    return 0
