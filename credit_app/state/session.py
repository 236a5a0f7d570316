"""Who is signed in, for every page: the session cookie, the user's name and role."""

from __future__ import annotations

import asyncio

import reflex as rx

from credit_app import routes
from credit_app.config import get_settings
from credit_app.db.models import ActorKind, Role, UserPublic
from credit_app.services import sessions
from credit_app.services.actors import GRANTS, Actor
from credit_app.services.errors import PermissionDenied

SESSION_COOKIE = "credit_app_session"


class SessionState(rx.State):
    """The signed-in user as the browser may see it: name and role, never a hash or an id."""

    session_token: str = rx.Cookie("", name=SESSION_COOKIE, same_site="strict", path="/")
    username: str = ""
    role: str = ""
    # Set when an action finds the session ended (signed out in another tab, account
    # deactivated): pages then say so instead of waiting for a session that will not come.
    session_ended: bool = False
    _user_id: int | None = None
    # The role the server checked, kept backend-only: handlers trust this, never `role`,
    # which exists for display.
    _role: Role | None = None

    @rx.var
    def signed_in(self) -> bool:
        return self.username != ""

    @rx.var
    def permissions(self) -> list[str]:
        """What the signed-in role may do, for showing only the pages it may use."""
        if self.role not in Role.__members__:
            return []
        return sorted(GRANTS[Role(self.role)])

    def _actor(self) -> Actor:
        """The signed-in user as the services see them; PermissionDenied when signed out."""
        if self._user_id is None or self._role is None:
            raise PermissionDenied("sign in first")
        return Actor(kind=ActorKind.user, id=self._user_id, name=self.username, role=self._role)

    async def _checked_actor(self) -> Actor:
        """`_actor`, after checking the session again on the server: a sign-out in another
        tab, a deactivated account or a changed role applies to pages already open."""
        if not await self._resume():
            self.session_ended = True
            raise PermissionDenied("your session has ended: sign in again")
        return self._actor()

    def _forget(self) -> None:
        self.session_token = ""
        self.username = ""
        self.role = ""
        self._user_id = None
        self._role = None

    async def _resume(self) -> bool:
        user = await asyncio.to_thread(sessions.resume, get_settings(), self.session_token)
        if user is None:
            self._forget()
            return False
        self._remember(user)
        return True

    def _remember(self, user: UserPublic) -> None:
        self.session_ended = False
        self.username, self.role = user.username, str(user.role)
        self._user_id, self._role = user.id, Role(user.role)

    @rx.event
    async def require_user(self):  # type: ignore[no-untyped-def]
        """on_load of every private page: back to the sign-in page without a valid session."""
        if not await self._resume():
            return rx.redirect(routes.LOGIN)
        return None

    @rx.event
    async def sign_out(self):  # type: ignore[no-untyped-def]
        await asyncio.to_thread(sessions.sign_out, get_settings(), self.session_token)
        self._forget()
        return rx.redirect(routes.LOGIN)
