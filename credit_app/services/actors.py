"""Who is acting, and what each role may do. Every service checks this itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from credit_app.db.models import ActorKind, Role
from credit_app.services.errors import PermissionDenied


class Permission(StrEnum):
    view_clients = "view_clients"
    score = "score"
    score_batch = "score_batch"
    view_model = "view_model"
    view_predictions = "view_predictions"
    record_outcomes = "record_outcomes"
    view_monitoring = "view_monitoring"
    export_client = "export_client"
    erase_client = "erase_client"
    manage_api_keys = "manage_api_keys"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.officer: frozenset(
        {Permission.view_clients, Permission.score, Permission.score_batch, Permission.view_model}
    ),
    Role.analyst: frozenset(
        {
            Permission.view_model,
            Permission.view_predictions,
            Permission.record_outcomes,
            Permission.view_monitoring,
        }
    ),
    Role.admin: frozenset(Permission),
}


@dataclass(frozen=True)
class Actor:
    """A signed-in user, an API client, or the system itself (CLI, demo seeding)."""

    kind: ActorKind
    id: int | None
    name: str
    role: Role

    @property
    def label(self) -> str:
        """How the audit trail names this actor."""
        return f"{self.kind}:{self.id if self.id is not None else self.name}"

    def can(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"the {self.role} role may not {permission.replace('_', ' ')}")


SYSTEM = Actor(kind=ActorKind.system, id=None, name="system", role=Role.admin)
