"""Child tables name their reference to the question run `cell_key` (the run's id is its cell key), so
`run_id` means only Airflow's DAG run id across the project

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 04:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILD_TABLES = ("mentions", "claims", "citations", "run_metrics")


def upgrade() -> None:
    for table in CHILD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("run_id", new_column_name="cell_key")


def downgrade() -> None:
    for table in CHILD_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("cell_key", new_column_name="run_id")
