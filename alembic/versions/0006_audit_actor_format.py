"""audit actors in one format: `kind:id` (system actors named `system:cli`, `system:demo`)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Events written by the command line and the demo named their actor without a kind.
    op.execute("UPDATE audit_events SET actor = 'system:' || actor WHERE actor NOT LIKE '%:%'")


def downgrade() -> None:
    op.execute("UPDATE audit_events SET actor = substr(actor, 8) WHERE actor LIKE 'system:%'")
