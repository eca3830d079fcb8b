"""Which extraction mode wrote each mention and claim (rules, llm, or rules after an llm fallback)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 18:59:57.805484
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extracted_by", sa.Text(), nullable=True))

    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extracted_by", sa.Text(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_column("extracted_by")

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("extracted_by")
