"""Provider circuit breakers: per queue and provider, consecutive failed AI calls and when the
breaker opened, so a dead provider's remaining calls fail fast across workers and containers

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_breakers",
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failure_kind", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trial_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id", "provider"),
    )


def downgrade() -> None:
    op.drop_table("provider_breakers")
