"""clients predictions outcomes api clients

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("api_clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_clients_key_prefix"), ["key_prefix"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_clients_name"), ["name"], unique=True)

    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sk_id_curr", sa.Integer(), nullable=True),
        sa.Column("pseudonym", sa.String(length=24), nullable=False),
        sa.Column("application", sa.JSON(), nullable=True),
        sa.Column("contract_type", sa.String(length=32), nullable=True),
        sa.Column("income_total", sa.Float(), nullable=True),
        sa.Column("amt_credit", sa.Float(), nullable=True),
        sa.Column("last_probability", sa.Float(), nullable=True),
        sa.Column("last_decision", sa.String(length=8), nullable=True),
        sa.Column("last_scored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clients_contract_type"), ["contract_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clients_last_decision"), ["last_decision"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_clients_pseudonym"), ["pseudonym"], unique=True)
        batch_op.create_index(batch_op.f("ix_clients_sk_id_curr"), ["sk_id_curr"], unique=True)

    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("defaulted", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=96), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcomes_recorded_at"), ["recorded_at"], unique=False)

    op.create_table(
        "predictions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("decision", sa.String(length=8), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("batch_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_predictions_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_predictions_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_predictions_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_predictions_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_predictions_decision"), ["decision"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("predictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_predictions_decision"))
        batch_op.drop_index(batch_op.f("ix_predictions_created_at"))
        batch_op.drop_index(batch_op.f("ix_predictions_client_id"))
        batch_op.drop_index(batch_op.f("ix_predictions_channel"))
        batch_op.drop_index(batch_op.f("ix_predictions_batch_id"))

    op.drop_table("predictions")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_outcomes_client_id"))

    op.drop_table("outcomes")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_sk_id_curr"))
        batch_op.drop_index(batch_op.f("ix_clients_pseudonym"))
        batch_op.drop_index(batch_op.f("ix_clients_last_decision"))
        batch_op.drop_index(batch_op.f("ix_clients_contract_type"))

    op.drop_table("clients")
    with op.batch_alter_table("api_clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_clients_name"))
        batch_op.drop_index(batch_op.f("ix_api_clients_key_prefix"))

    op.drop_table("api_clients")
