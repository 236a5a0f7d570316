"""Demo mode: accounts, synthetic clients and a model trained on them, for a first look."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from credit_app.config import Settings
from credit_app.db.models import Client, User
from credit_app.domain import Role
from credit_app.ml import synth
from credit_app.ml.loader import load_applications
from credit_app.ml.train import train_model
from credit_app.services import clients, users
from credit_app.services.actors import Actor

CREDENTIALS_FILE = "demo_credentials.json"
DEMO_USERNAMES = {Role.officer: "officer", Role.analyst: "analyst", Role.admin: "admin"}
DEMO_ROWS = 10_000
DEMO_SEED = 20261124
DEMO_FOLDS = 5


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


def credentials_path(settings: Settings) -> Path:
    return settings.data_dir / CREDENTIALS_FILE


def ensure_demo_accounts(session: Session, actor: Actor, *, credentials: Path) -> dict[str, str]:
    """One account per role with a random password, kept in a private file; returns them."""
    known: dict[str, str] = json.loads(credentials.read_text()) if credentials.exists() else {}
    for role, username in DEMO_USERNAMES.items():
        if session.exec(select(User).where(User.username == username)).first():
            continue  # already there: its password is in the file, or not ours to print
        known[username] = secrets.token_urlsafe(9)
        users.create_user(session, actor, username=username, password=known[username], role=role)
    _write_private(credentials, json.dumps(known, indent=2))
    return known


def demo_data_path(settings: Settings) -> Path:
    return settings.data_dir / "demo" / "application_train.csv"


def ensure_demo_data(settings: Settings) -> Path:
    """A synthetic Home Credit file, generated once with a fixed seed."""
    path = demo_data_path(settings)
    if not path.exists():
        synth.write_csv(synth.generate(DEMO_ROWS, DEMO_SEED), path)
    return path


def ensure_demo_model(settings: Settings, progress: Callable[[str], None]) -> bool:
    """Train the demo model on the demo data unless a model is already there."""
    if (settings.model_dir / "model_card.json").exists():
        return False
    path = ensure_demo_data(settings)
    frame = load_applications(path, require_target=True).frame
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    train_model(frame, settings.model_dir, folds=DEMO_FOLDS, data_sha256=digest, progress=progress)
    return True


def ensure_demo_clients(session: Session, actor: Actor, *, data: Path, secret: str) -> int:
    """Import the demo file's applicants as clients when there are none yet."""
    if session.exec(select(func.count()).select_from(Client)).one() > 0:
        return 0
    frame = load_applications(data).frame
    return clients.import_clients(session, actor, frame, secret=secret).created
