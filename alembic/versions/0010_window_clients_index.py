"""predictions: an index of each request's time, channel and client, for clients only

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_predictions_created_at_channel_client"
WHERE = sa.text("client_id IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        NAME,
        "predictions",
        ["created_at", "channel", "client_id"],
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name="predictions")
