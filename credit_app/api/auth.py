"""POST /auth/token: the OAuth2 password flow for people using the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from credit_app.api.deps import API_TOKEN_PURPOSE, ServicesDep
from credit_app.api.schemas import TokenOut
from credit_app.services import tokens, users
from credit_app.services.actors import ANONYMOUS

router = APIRouter(tags=["auth"])


@router.post("/auth/token", response_model=TokenOut, summary="Exchange a username and password")
def issue_token(
    services: ServicesDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenOut:
    settings = services.settings
    with services.session() as session:
        result = users.authenticate(
            session,
            ANONYMOUS,
            username=form.username,
            password=form.password,
            policy=services.sessions.lockout,
        )
    if result.user is None:
        raise result.error or users.wrong_credentials()
    lifetime = timedelta(minutes=settings.token_minutes)
    token = tokens.token_for(result.user, settings.secret_key, API_TOKEN_PURPOSE, lifetime)
    return TokenOut(access_token=token, expires_in=int(lifetime.total_seconds()))
