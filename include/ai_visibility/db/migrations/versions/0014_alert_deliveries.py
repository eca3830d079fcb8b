"""Change alerts delivered, per queue, kind and subject, so a retried or cleared alerts task does
not send the same alert again

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_deliveries",
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id", "kind", "subject"),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
