"""Typed dependencies: the process's services and the calling actor.

Routes open their database sessions inside their own body (`with services.session()`), so a
connection is always returned by the thread that took it: a session held open by a
dependency until after the response deadlocks the pool under load."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Security
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from credit_app.ml.schema import MAX_ID, MIN_ID
from credit_app.services import api_keys, sessions, tokens, users
from credit_app.services.actors import Actor, user_actor
from credit_app.services.container import Services
from credit_app.services.errors import AuthenticationFailed

API_TOKEN_PURPOSE = "api"

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)


async def services_of(request: Request) -> Services:
    # async (like get_actor): a plain function dependency costs a worker-thread hop.
    return request.app.state.services()


ServicesDep = Annotated[Services, Depends(services_of)]
#: A client's SK_ID_CURR in a path: out of the id range is a 422, not a database error.
SkIdPath = Annotated[int, Path(ge=MIN_ID, le=MAX_ID, description="the client's SK_ID_CURR")]
#: Rows to skip in a listing; bounded like every integer the database is given.
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_ID)]


async def get_actor(
    services: ServicesDep,
    bearer: Annotated[str | None, Security(oauth2_scheme)],
    api_key: Annotated[str | None, Security(api_key_scheme)],
) -> Actor:
    """The caller, from an X-API-Key header or an OAuth2 bearer token; 401 otherwise.

    A credential verified in the last `credential_cache.TTL_SECONDS` is not looked up again
    (a revoked key or a changed role takes effect within that time); a lookup uses a short
    session of its own in a worker thread, so that no connection is held while a route
    scores and the event loop never waits on the database."""
    look_up: Callable[[Session], Actor]
    if api_key:
        credential = f"key:{api_keys.digest(api_key)}"
        look_up = partial(_key_actor, key=api_key)
    elif bearer:
        try:
            claims = tokens.read_token(
                bearer, secret=services.settings.secret_key, purpose=API_TOKEN_PURPOSE
            )
        except tokens.InvalidToken:
            raise AuthenticationFailed("the token is not valid or has expired") from None
        credential = f"user:{claims.user_id}"
        look_up = partial(_user_actor, user_id=claims.user_id)
    else:
        raise AuthenticationFailed("send an X-API-Key header or an Authorization: Bearer token")
    actor = services.credentials.get(credential)
    if actor is None:
        actor = await run_in_threadpool(services.call, look_up)
        services.credentials.put(credential, actor)
    return actor


def _key_actor(session: Session, key: str) -> Actor:
    actor = api_keys.authenticate_api_key(session, key)
    if actor is None:
        raise AuthenticationFailed("the API key is not valid")
    return actor


def _user_actor(session: Session, user_id: int) -> Actor:
    user = users.get_active_user(session, user_id)
    if user is None:
        raise AuthenticationFailed("the token's user is not active")
    return user_actor(user.id, user.username, user.role)


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_browser_actor(
    request: Request,
    services: ServicesDep,
    bearer: Annotated[str | None, Security(oauth2_scheme)],
    api_key: Annotated[str | None, Security(api_key_scheme)],
) -> Actor:
    """The caller of a GET a page links to: a signed-in browser (its session cookie, which
    is SameSite=Strict, so another site cannot send it), else a key or a token."""
    token = request.cookies.get(sessions.SESSION_COOKIE, "")
    if token and not (bearer or api_key):
        user = await run_in_threadpool(services.call, sessions.resume, token, services.sessions)
        if user is None:
            raise AuthenticationFailed("the session has ended: sign in again")
        return user_actor(user.id, user.username, user.role)
    return await get_actor(services, bearer, api_key)


BrowserActorDep = Annotated[Actor, Depends(get_browser_actor)]
