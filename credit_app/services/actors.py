"""Who is acting, and what each role may do. Every service checks this itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from credit_app.domain import ActorKind, Role
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
    manage_users = "manage_users"


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
    """A signed-in user, an API client, the system itself (CLI, demo seeding), or someone
    not signed in yet (`role` None: they may do nothing but try to sign in)."""

    kind: ActorKind
    id: int | None
    name: str
    role: Role | None

    @property
    def label(self) -> str:
        """The one way the audit trail names an actor: kind and id (a name where there is no
        id: `system:cli`, `anonymous:-`)."""
        return f"{self.kind}:{self.id if self.id is not None else self.name}"

    def can(self, permission: Permission) -> bool:
        return self.role is not None and permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(self.role, permission)


def user_actor(user_id: int, username: str, role: Role) -> Actor:
    return Actor(kind=ActorKind.user, id=user_id, name=username, role=role)


def system_actor(name: str) -> Actor:
    """The product acting for itself, named for the trail: `cli`, `demo`, `system`."""
    return Actor(kind=ActorKind.system, id=None, name=name, role=Role.admin)


SYSTEM = system_actor("system")
ANONYMOUS = Actor(kind=ActorKind.anonymous, id=None, name="-", role=None)
