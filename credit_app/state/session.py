"""Who is signed in and in which language, for every page: the session cookie, the user's
name and role as shown, the language the page speaks."""

from __future__ import annotations

import asyncio

import reflex as rx

from credit_app import routes
from credit_app.domain import Role
from credit_app.i18n import LANGUAGES, Words, message, negotiate
from credit_app.services import sessions
from credit_app.services.actors import ANONYMOUS, GRANTS, Actor, user_actor
from credit_app.services.container import Services, current_services
from credit_app.services.errors import ServiceError, SessionEnded

LANGUAGE_COOKIE = "credit_app_lang"
YEAR_SECONDS = 365 * 24 * 3600


class SessionState(rx.State):
    """The signed-in user as the browser may see it: name and role, never a hash or an id."""

    session_token: str = rx.Cookie("", name=sessions.SESSION_COOKIE, same_site="strict", path="/")
    # The language chosen with the header's switch; without one, the browser's.
    language_choice: str = rx.Cookie(
        "", name=LANGUAGE_COOKIE, same_site="strict", path="/", max_age=YEAR_SECONDS
    )
    lang: str = "en"
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

    # -- the services, the language ------------------------------------------------------
    @staticmethod
    def _services() -> Services:
        return current_services()

    def _settle_language(self) -> None:
        """The switch's choice if there is one, else the browser's Accept-Language."""
        if self.language_choice in LANGUAGES:
            self.lang = self.language_choice
        else:
            self.lang = negotiate(self.router.headers.accept_language)

    @property
    def _words(self) -> Words:
        """Texts, numbers and the applicant's fields in the page's language."""
        return Words.of(self.lang, self._services().settings.currency)

    def _message(self, error: ServiceError) -> str:
        return message(self.lang, error.key, error.params)

    # -- the actor -----------------------------------------------------------------------
    def _actor(self) -> Actor:
        """The signed-in user as the services see them; the anonymous actor when signed out."""
        if self._user_id is None or self._role is None:
            return ANONYMOUS
        return user_actor(self._user_id, self.username, self._role)

    async def _checked_actor(self) -> Actor:
        """`_actor`, after checking the session again on the server: a sign-out in another
        tab, a deactivated account or a changed role applies to pages already open."""
        if not await self._resume():
            self.session_ended = True
            raise SessionEnded()
        return self._actor()

    def _forget(self) -> None:
        self.session_token = ""
        self.username = ""
        self.role = ""
        self._user_id = None
        self._role = None

    async def _resume(self) -> bool:
        self._settle_language()
        services, token = self._services(), self.session_token
        user = None
        if token:
            user = await asyncio.to_thread(services.call, sessions.resume, token, services.sessions)
        if user is None:
            self._forget()
            return False
        self.session_ended = False
        self.username, self.role = user.username, str(user.role)
        self._user_id, self._role = user.id, Role(user.role)
        return True

    async def _clear_pages(self) -> None:
        """Every page's data back to nothing: what one user saw is not left for the next."""
        pending = list(type(self).get_substates())
        while pending:
            page = pending.pop()
            pending.extend(page.get_substates())
            (await self.get_state(page)).reset()

    # -- events --------------------------------------------------------------------------
    @rx.event
    async def sign_out(self):  # type: ignore[no-untyped-def]
        await self._resume()  # the session's own user signs out, whatever the page knew
        services, token, actor = self._services(), self.session_token, self._actor()
        await asyncio.to_thread(services.call, sessions.sign_out, actor, token, services.sessions)
        self._forget()
        await self._clear_pages()
        return rx.redirect(routes.LOGIN)

    @rx.event
    def switch_language(self, lang: str):  # type: ignore[no-untyped-def]
        """Remember the choice in a cookie and show the page again in that language."""
        if lang not in LANGUAGES:
            return None
        self.language_choice = self.lang = lang
        # Texts made on the server (messages, reasons, charts) are made again by the reload.
        return rx.call_script("window.location.reload()")
