"""Demo mode: accounts (and, as the product grows, data and a model) for a first look."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from sqlmodel import select

from credit_app.config import Settings
from credit_app.db.engine import session_scope
from credit_app.db.models import Role, User
from credit_app.services import users

CREDENTIALS_FILE = "demo_credentials.json"
DEMO_USERNAMES = {Role.officer: "officer", Role.analyst: "analyst", Role.admin: "admin"}


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


def ensure_demo_accounts(settings: Settings) -> dict[str, str]:
    """One account per role with a random password, kept in a private file; returns them."""
    path = settings.data_dir / CREDENTIALS_FILE
    known: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    with session_scope(settings.database_url) as session:
        for role, username in DEMO_USERNAMES.items():
            if session.exec(select(User).where(User.username == username)).first():
                continue  # already there: its password is in the file, or not ours to print
            known[username] = secrets.token_urlsafe(9)
            users.create_user(
                session, username=username, password=known[username], role=role, actor="demo"
            )
    _write_private(path, json.dumps(known, indent=2))
    return known
