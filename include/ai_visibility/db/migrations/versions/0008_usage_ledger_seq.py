"""Every billed call is its own ledger row: a step run again in the same cell attempt (a cleared or
retried extraction task) adds rows numbered by `seq` instead of overwriting the calls already paid for

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("usage_ledger") as batch_op:
        _drop_primary_key(batch_op)
        batch_op.add_column(sa.Column("seq", sa.Integer(), primary_key=True, nullable=False, server_default="1"))
        batch_op.create_primary_key("usage_ledger_pkey", ["cell_key", "purpose", "attempt", "seq"])
    with op.batch_alter_table("usage_ledger") as batch_op:
        batch_op.alter_column("seq", server_default=None)


def downgrade() -> None:
    # The old key holds one call per purpose and attempt: the calls after the first cannot be kept.
    op.execute("DELETE FROM usage_ledger WHERE seq > 1")
    with op.batch_alter_table("usage_ledger") as batch_op:
        _drop_primary_key(batch_op)
        batch_op.drop_column("seq")
        batch_op.create_primary_key("usage_ledger_pkey", ["cell_key", "purpose", "attempt"])


def _drop_primary_key(batch_op: BatchOperations) -> None:
    # SQLite's batch mode rebuilds the table around the new key; elsewhere the old key goes first.
    if op.get_bind().dialect.name != "sqlite":
        batch_op.drop_constraint("usage_ledger_pkey", type_="primary")
