"""Failure alerts delivered, per failed try (dag run, task, map index, try number), so a failure
callback run again for the same failure does not post the same alert again

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No foreign key: a run can fail before it has a queue (an unknown org, a refused conf).
    op.create_table(
        "failure_alert_deliveries",
        sa.Column("dag_id", sa.String(length=250), nullable=False),
        sa.Column("dag_run_id", sa.String(length=250), nullable=False),
        sa.Column("task_id", sa.String(length=250), nullable=False),
        sa.Column("map_index", sa.Integer(), nullable=False),
        sa.Column("try_number", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("dag_id", "dag_run_id", "task_id", "map_index", "try_number"),
    )


def downgrade() -> None:
    op.drop_table("failure_alert_deliveries")
