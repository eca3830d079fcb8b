"""How many cells each mapped task of an org's runs works on (1: one task per cell, as before)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orgs") as batch_op:
        batch_op.add_column(sa.Column("cells_per_task", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("orgs") as batch_op:
        batch_op.drop_column("cells_per_task")
