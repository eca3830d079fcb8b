"""Repeated samples: an org's samples per cell, each queue cell's and question run's sample number
(1 for every row written before), and the sample in a cell's identity for the latest flag

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IDENTITY = ["org_id", "question_key", "model_key", "location_key"]
LATEST = sa.text("is_latest")
COLUMNS = {"orgs": "samples", "queue_cells": "sample", "question_runs": "sample"}
runs = sa.table("question_runs", sa.column("sample", sa.Integer), sa.column("is_latest", sa.Boolean))


def upgrade() -> None:
    _drop_indexes()
    for table, column in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default=sa.text("1")))
    _create_indexes([*IDENTITY, "sample"])


def downgrade() -> None:
    # Without the sample a cell has one latest run: sample 1's keeps the flag, the others lose it.
    op.execute(runs.update().where(runs.c.sample > 1, runs.c.is_latest.is_(True)).values(is_latest=False))
    _drop_indexes()
    for table, column in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column(column)
    _create_indexes(IDENTITY)


def _drop_indexes() -> None:
    op.drop_index("uq_question_runs_one_latest", table_name="question_runs", postgresql_where=LATEST)
    op.drop_index("ix_question_runs_cell_latest", table_name="question_runs")


def _create_indexes(identity: list[str]) -> None:
    op.create_index("ix_question_runs_cell_latest", "question_runs", [*identity, "is_latest"])
    op.create_index(
        "uq_question_runs_one_latest",
        "question_runs",
        identity,
        unique=True,
        postgresql_where=LATEST,
        sqlite_where=LATEST,
    )
