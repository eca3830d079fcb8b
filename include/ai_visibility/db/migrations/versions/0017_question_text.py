"""Each AI response and question run keeps the question's text as the call asked it, so an edit to
the org's questions no longer rewords answers given before it; rows stored before this revision
take the text their question has now (the only wording left to know)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ai_responses", "question_runs")
questions = sa.table("questions", sa.column("org_id"), sa.column("key"), sa.column("text"))
cells = sa.table("queue_cells", sa.column("key"), sa.column("org_id"), sa.column("question_key"))
runs = sa.table("question_runs", sa.column("org_id"), sa.column("question_key"), sa.column("question_text"))
responses = sa.table("ai_responses", sa.column("cell_key"), sa.column("question_text"))


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("question_text", sa.Text(), nullable=True))
    # A question since dropped from its org has no text left: its rows stay null.
    op.execute(
        runs.update().values(
            question_text=sa.select(questions.c.text)
            .where(questions.c.org_id == runs.c.org_id, questions.c.key == runs.c.question_key)
            .scalar_subquery()
        )
    )
    op.execute(
        responses.update().values(
            question_text=sa.select(questions.c.text)
            .select_from(
                cells.join(
                    questions, (questions.c.org_id == cells.c.org_id) & (questions.c.key == cells.c.question_key)
                )
            )
            .where(cells.c.key == responses.c.cell_key)
            .scalar_subquery()
        )
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("question_text")
