"""The extraction version that produced each run's mentions, claims, citations and metrics, written
with its metrics (runs extracted before versioning keep NULL until they are reprocessed)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("run_metrics") as batch_op:
        batch_op.add_column(sa.Column("extraction_version", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_metrics") as batch_op:
        batch_op.drop_column("extraction_version")
