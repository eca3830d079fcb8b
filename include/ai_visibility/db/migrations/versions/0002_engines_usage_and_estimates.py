"""AI engines: API style and sampling settings, optional prices, usage ledger, cost estimates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 18:03:18.793381
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_ledger",
        sa.Column("cell_key", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("model_key", sa.String(length=64), nullable=False),
        sa.Column("api_model", sa.String(length=255), nullable=False),
        sa.Column("served_model", sa.String(length=255), nullable=True),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("search_calls", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("price_source", sa.String(length=255), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cell_key"], ["queue_cells.key"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cell_key", "purpose", "attempt"),
    )
    with op.batch_alter_table("usage_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_usage_ledger_queue", ["queue_id"], unique=False)

    with op.batch_alter_table("ai_models", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("api_style", sa.String(length=24), nullable=False, server_default="chat_completions")
        )
        batch_op.add_column(sa.Column("temperature", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("max_output_tokens", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("expected_output_tokens", sa.Integer(), nullable=False, server_default="800"))
        batch_op.alter_column("input_usd_per_mtok", existing_type=sa.FLOAT(), nullable=True)
        batch_op.alter_column("output_usd_per_mtok", existing_type=sa.FLOAT(), nullable=True)
        batch_op.alter_column("search_usd_per_call", existing_type=sa.FLOAT(), nullable=True)

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))

    with op.batch_alter_table("processing_queues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("estimated_cost_usd", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("budget_usd", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processing_queues", schema=None) as batch_op:
        batch_op.drop_column("budget_usd")
        batch_op.drop_column("estimated_cost_usd")

    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_column("timezone")

    with op.batch_alter_table("ai_models", schema=None) as batch_op:
        batch_op.alter_column("search_usd_per_call", existing_type=sa.FLOAT(), nullable=False)
        batch_op.alter_column("output_usd_per_mtok", existing_type=sa.FLOAT(), nullable=False)
        batch_op.alter_column("input_usd_per_mtok", existing_type=sa.FLOAT(), nullable=False)
        batch_op.drop_column("expected_output_tokens")
        batch_op.drop_column("max_output_tokens")
        batch_op.drop_column("temperature")
        batch_op.drop_column("api_style")

    with op.batch_alter_table("usage_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_ledger_queue")

    op.drop_table("usage_ledger")
