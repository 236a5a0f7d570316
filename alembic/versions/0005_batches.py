"""batches: a scored file's record (progress, summary, first bad rows); rows keep their line

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Integer(), nullable=False),
        sa.Column("rejected_rows", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("histogram", sa.JSON(), nullable=False),
        sa.Column("row_errors", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("error_key", sa.String(length=64), nullable=True),
        sa.Column("error_params", sa.JSON(), nullable=False),
    )
    op.create_index("ix_batches_created_at", "batches", ["created_at"])
    with op.batch_alter_table("predictions") as table:
        table.add_column(sa.Column("batch_line", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("predictions") as table:
        table.drop_column("batch_line")
    op.drop_table("batches")
