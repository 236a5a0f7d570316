"""API keys for machine callers: shown once, stored as SHA-256, each with a role."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from credit_app.db.models import ApiClient
from credit_app.db.types import utcnow
from credit_app.domain import ActorKind, AuditAction, Role
from credit_app.services import audit
from credit_app.services.actors import Actor, Permission
from credit_app.services.errors import Conflict, InvalidInput

KEY_PREFIX = "cra"
LAST_USED_RESOLUTION = timedelta(minutes=1)
NAME_PATTERN = re.compile(r"^[A-Za-z0-9._ -]{3,64}$")
# Keys are 256-bit random: a fast hash is safe for them (unlike passwords) and keeps
# per-request authentication cheap.


def digest(key: str) -> str:
    """What is stored of a key (and what the credential cache knows it by)."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewApiKey:
    name: str
    role: Role
    key: str  # shown once, never stored


def create_api_key(session: Session, actor: Actor, *, name: str, role: Role | str) -> NewApiKey:
    actor.require(Permission.manage_api_keys)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}") from None
    if not NAME_PATTERN.match(name):
        raise InvalidInput("name must be 3-64 letters, digits, spaces, dots, dashes or underscores")
    if session.exec(select(ApiClient).where(ApiClient.name == name)).first():
        raise Conflict(f"an API client named {name!r} already exists")
    lookup = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
    client = ApiClient(name=name, key_prefix=lookup, key_hash=digest(key), role=role)
    session.add(client)
    session.flush()
    audit.record(session, actor, AuditAction.apikey_create, target=f"api_client:{client.id}")
    return NewApiKey(name=name, role=role, key=key)


def authenticate_api_key(session: Session, key: str) -> Actor | None:
    """The active API client owning `key`, as an Actor; None for anything else."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    candidates = session.exec(
        select(ApiClient).where(ApiClient.key_prefix == parts[1], ApiClient.active)
    ).all()
    key_hash = digest(key)
    for client in candidates:
        if hmac.compare_digest(client.key_hash, key_hash):
            now = utcnow()
            if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
                client.last_used_at = now  # at most one write a minute per key
                session.add(client)
            return Actor(
                kind=ActorKind.api_client, id=client.id, name=client.name, role=client.role
            )
    return None
