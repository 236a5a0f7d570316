"""SQLModel tables. Alembic migrations in alembic/versions must follow every change here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from credit_app.db.types import UTCDateTime, utcnow
from credit_app.domain import ActorKind, Channel, Role


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


class UserSession(SQLModel, table=True):
    """A browser sign-in. Its id travels in the session token; signing out revokes it, so
    a copied token stops working at once instead of at its expiry."""

    __tablename__ = "user_sessions"

    id: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    expires_at: datetime = Field(sa_column=_timestamp())
    revoked_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class AuditEvent(SQLModel, table=True):
    """Who did what, when, on what: append-only."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    actor: str = Field(max_length=96, index=True)
    action: str = Field(max_length=64, index=True)
    target: str | None = Field(default=None, max_length=128)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ApiClient(SQLModel, table=True):
    """A machine caller: the key itself is shown once and only its SHA-256 is stored."""

    __tablename__ = "api_clients"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True, index=True)
    key_prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64)
    role: Role = Field(sa_type=String(16))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    last_used_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class Client(SQLModel, table=True):
    """An applicant known to the lender; `application` holds the Home Credit fields."""

    __tablename__ = "clients"

    id: int | None = Field(default=None, primary_key=True)
    sk_id_curr: int | None = Field(default=None, unique=True, index=True)
    pseudonym: str = Field(max_length=24, unique=True, index=True)
    application: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    #: `schema.SCHEMA_STAMP` of the rules the application was validated under.
    application_schema: str | None = Field(default=None, max_length=16)
    contract_type: str | None = Field(default=None, max_length=32, index=True)
    income_total: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    amt_credit: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    last_probability: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    last_decision: str | None = Field(default=None, max_length=8, index=True)
    last_scored_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    erased_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class Prediction(SQLModel, table=True):
    """Every decision the product returned, and every scoring call that failed."""

    __tablename__ = "predictions"
    # Listings are newest first (created_at, then id, both descending) and often filtered by
    # decision or channel: these indexes give each such page without sorting the table.
    __table_args__ = (
        Index("ix_predictions_created_at_id", "created_at", "id"),
        Index("ix_predictions_decision_created_at_id", "decision", "created_at", "id"),
        Index("ix_predictions_channel_created_at_id", "channel", "created_at", "id"),
        # The clients of a window's applications (performance pairs them with outcomes),
        # read from the index alone.
        Index(
            "ix_predictions_created_at_channel_client",
            "created_at",
            "channel",
            "client_id",
            sqlite_where=text("client_id IS NOT NULL"),
            postgresql_where=text("client_id IS NOT NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    client_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("clients.id"), index=True)
    )
    actor_kind: ActorKind = Field(sa_type=String(16))
    actor_id: int | None = None
    actor_name: str = Field(max_length=64)
    channel: Channel = Field(sa_type=String(8))
    model_version: str | None = Field(default=None, max_length=64)
    inputs: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    probability: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    decision: str | None = Field(default=None, max_length=8)
    threshold: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    latency_ms: float = Field(sa_column=Column(Float, nullable=False))
    status: int = 200
    error: str | None = Field(default=None, max_length=500)
    batch_id: str | None = Field(default=None, max_length=32, index=True)
    batch_line: int | None = None  # the file line (or array position) of a batch row
    # The applicant's reference bin per feature and the score's, a byte each, in the order
    # of the model's `drift.BinLayout`: what monitoring counts, never the inputs.
    bins: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class Outcome(SQLModel, table=True):
    """A realised outcome: did the client default?"""

    __tablename__ = "outcomes"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(
        sa_column=Column(Integer, ForeignKey("clients.id"), nullable=False, index=True)
    )
    defaulted: bool
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    recorded_by: str = Field(max_length=96)


class DriftRollup(SQLModel, table=True):
    """One hour of one channel's predictions by one model version, counted per reference
    bin (`drift.BinLayout` of that version, stored end to end as little-endian int32).

    Windows add up hours: drift over a million predictions reads a few thousand rollups.
    Built once an hour is closed (see `services.monitoring_rollups`), never changed."""

    __tablename__ = "drift_rollups"
    __table_args__ = (UniqueConstraint("model_version", "hour", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    model_version: str = Field(max_length=64)
    hour: datetime = Field(sa_column=_timestamp())
    channel: Channel = Field(sa_type=String(8))
    rows: int
    counts: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    built_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class ActivityRollup(SQLModel, table=True):
    """One hour of one channel's requests, whatever the model: counts, failures by status,
    a latency histogram, the slowest requests, decisions and approvals per fairness
    group, and the decisions' probability histogram (dense arrays as bytes, as
    `services.monitoring_rollups.Activity` writes them).

    Built once an hour is closed, with its `DriftRollup`s, never changed."""

    __tablename__ = "activity_rollups"
    __table_args__ = (UniqueConstraint("hour", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    hour: datetime = Field(sa_column=_timestamp())
    channel: Channel = Field(sa_type=String(8))
    requests: int
    errors: int
    decisions: int
    approvals: int
    statuses: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    latency: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    groups: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    slowest: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    probabilities: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    built_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class Batch(SQLModel, table=True):
    """A scored file or array: who sent it, how far it is, and its summary; its rows are the
    predictions with its id."""

    __tablename__ = "batches"

    id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp(index=True))
    finished_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    actor_kind: ActorKind = Field(sa_type=String(16))
    actor_id: int | None = None
    actor_name: str = Field(max_length=64)
    channel: Channel = Field(sa_type=String(8))
    file_name: str | None = Field(default=None, max_length=120)
    status: str = Field(default="running", max_length=8)  # running, done, failed
    progress: int = 0  # per cent of the rows handled
    rows: int = 0
    scored: int = 0
    approved: int = 0
    rejected_rows: int = 0
    threshold: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    model_version: str | None = Field(default=None, max_length=64)
    # The probabilities of the scored rows in 20 bins of 5 points: the page's histogram.
    histogram: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The first rows that were not scored: [{line, field, message}]
    row_errors: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, max_length=500)
    error_key: str | None = Field(default=None, max_length=64)
    error_params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
