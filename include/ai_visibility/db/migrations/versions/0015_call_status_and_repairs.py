"""An AI call's ledger row is written before the call (`status` in_flight, then billed or interrupted);
an answer repaired on arrival (invalid UTF-8 replaced with U+FFFD) says so in `repairs`

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("usage_ledger") as batch_op:
        # Every row written before this revision was written after its call returned: billed.
        batch_op.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="billed"))
    for table in ("ai_responses", "question_runs"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("repairs", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("question_runs", "ai_responses"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("repairs")
    with op.batch_alter_table("usage_ledger") as batch_op:
        batch_op.drop_column("status")
