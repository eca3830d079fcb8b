"""At most one latest question run per cell identity (a partial unique index)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:30:00.000000

Before the index can exist, rows written by the earlier code are repaired: a run whose cell completed
is answered (a retried step used to leave it failed), and where one cell identity has several latest
runs only the one of the newest queue whose cell completed keeps the flag.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDENTITY = ("org_id", "question_key", "model_key", "location_key")

runs = sa.table(
    "question_runs",
    sa.column("id", sa.String),
    sa.column("queue_id", sa.String),
    *(sa.column(name, sa.String) for name in IDENTITY),
    sa.column("status", sa.String),
    sa.column("error", sa.Text),
    sa.column("is_latest", sa.Boolean),
)
cells = sa.table("queue_cells", sa.column("key", sa.String), sa.column("status", sa.String))
queues = sa.table("processing_queues", sa.column("id", sa.String), sa.column("created_at", sa.DateTime))


def upgrade() -> None:
    completed = sa.select(cells.c.key).where(cells.c.status == "completed")
    op.execute(
        runs.update().where(runs.c.status == "failed", runs.c.id.in_(completed)).values(status="answered", error=None)
    )
    preference = sa.func.row_number().over(
        partition_by=[runs.c[name] for name in IDENTITY],
        order_by=(
            sa.case((cells.c.status == "completed", 0), else_=1),
            queues.c.created_at.desc(),
            queues.c.id.desc(),
        ),
    )
    ranked = (
        sa.select(runs.c.id, preference.label("preference"))
        .join(cells, cells.c.key == runs.c.id)
        .join(queues, queues.c.id == runs.c.queue_id)
        .where(runs.c.is_latest.is_(True))
        .subquery()
    )
    duplicates = sa.select(ranked.c.id).where(ranked.c.preference > 1)
    op.execute(runs.update().where(runs.c.id.in_(duplicates)).values(is_latest=False))
    op.create_index(
        "uq_question_runs_one_latest",
        "question_runs",
        list(IDENTITY),
        unique=True,
        postgresql_where=sa.text("is_latest"),
        sqlite_where=sa.text("is_latest"),
    )


def downgrade() -> None:
    # The repaired rows are valid without the index too, so only the index goes.
    op.drop_index(
        "uq_question_runs_one_latest",
        table_name="question_runs",
        postgresql_where=sa.text("is_latest"),
        sqlite_where=sa.text("is_latest"),
    )
