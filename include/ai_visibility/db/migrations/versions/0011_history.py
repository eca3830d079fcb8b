"""An org's metric history: the counts and sums behind each queue's analytics, one row per queue,
segment and metric component; and the org's change-alert thresholds

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "metric_history",
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("metric", sa.String(length=48), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("queue_created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extraction_version", sa.String(length=255), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=False),
        sa.Column("denominator", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id", "dimension", "value", "metric"),
    )
    op.create_index("ix_metric_history_org_time", "metric_history", ["org_id", "dimension", "queue_created_at"])
    with op.batch_alter_table("orgs") as batch_op:
        batch_op.add_column(sa.Column("alert_thresholds", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orgs") as batch_op:
        batch_op.drop_column("alert_thresholds")
    op.drop_index("ix_metric_history_org_time", table_name="metric_history")
    op.drop_table("metric_history")
