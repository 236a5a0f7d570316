"""SQLModel tables. Alembic migrations in alembic/versions must follow every change here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from credit_app.db.types import UTCDateTime, utcnow


class Role(StrEnum):
    officer = "officer"
    analyst = "analyst"
    admin = "admin"


def _timestamp(*, nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class UserBase(SQLModel):
    username: str = Field(max_length=64, unique=True, index=True)
    role: Role = Field(sa_type=String(16))
    active: bool = True


class User(UserBase, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=128)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    last_login_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    failed_attempts: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class UserPublic(UserBase):
    """What may leave the service layer about a user: never the hash."""

    id: int
    created_at: datetime
    last_login_at: datetime | None


class AuditEvent(SQLModel, table=True):
    """Who did what, when, on what: append-only."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    actor: str = Field(max_length=96, index=True)
    action: str = Field(max_length=64, index=True)
    target: str | None = Field(default=None, max_length=128)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
