"""Org cadence for schedule_orgs: daily, or weekly on a weekday

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 18:47:21.934991
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("orgs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cadence", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("cadence_weekday", sa.Integer(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("orgs", schema=None) as batch_op:
        batch_op.drop_column("cadence_weekday")
        batch_op.drop_column("cadence")
