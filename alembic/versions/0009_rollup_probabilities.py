"""activity_rollups.probabilities: each hour's histogram of predicted probabilities

The rollups are derived from the prediction log: the existing ones are deleted and rebuilt
with the new column at the next roll-up (the log itself is untouched).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM activity_rollups")
    with op.batch_alter_table("activity_rollups") as table:
        table.add_column(sa.Column("probabilities", sa.LargeBinary(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("activity_rollups") as table:
        table.drop_column("probabilities")
