"""prediction listing indexes: newest first, optionally by decision or channel

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old single-column index, new composite index, its columns)
REPLACED = [
    ("ix_predictions_created_at", "ix_predictions_created_at_id", ["created_at", "id"]),
    ("ix_predictions_decision", "ix_predictions_decision_created_at_id", ["decision", "created_at", "id"]),
    ("ix_predictions_channel", "ix_predictions_channel_created_at_id", ["channel", "created_at", "id"]),
]


def upgrade() -> None:
    for old, new, columns in REPLACED:
        op.create_index(new, "predictions", columns)
        op.drop_index(old, table_name="predictions")


def downgrade() -> None:
    for old, new, columns in REPLACED:
        op.create_index(old, "predictions", columns[:1])
        op.drop_index(new, table_name="predictions")
