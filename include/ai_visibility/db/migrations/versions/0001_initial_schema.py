"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 17:40:21.578795
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "orgs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("websites", sa.JSON(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ai_models",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("api_model", sa.String(length=255), nullable=False),
        sa.Column("conn_id", sa.String(length=255), nullable=False),
        sa.Column("web_search", sa.Boolean(), nullable=False),
        sa.Column("location_method", sa.String(length=16), nullable=False),
        sa.Column("input_usd_per_mtok", sa.Float(), nullable=False),
        sa.Column("output_usd_per_mtok", sa.Float(), nullable=False),
        sa.Column("search_usd_per_call", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "key"),
    )
    op.create_table(
        "aliases",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("brand", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "brand", "alias"),
    )
    op.create_table(
        "competitors",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("websites", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "key"),
    )
    op.create_table(
        "locations",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=255), nullable=True),
        sa.Column("city", sa.String(length=255), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "key"),
    )
    op.create_table(
        "processing_queues",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("dag_run_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("processing_queues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processing_queues_org_id"), ["org_id"], unique=False)

    op.create_table(
        "questions",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("branded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["orgs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "key"),
    )
    op.create_table(
        "analytics_reports",
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("schema_version", sa.String(length=16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id"),
    )
    op.create_table(
        "pushes",
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("destination", sa.String(length=1024), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=2048), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id", "destination"),
    )
    op.create_table(
        "queue_cells",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=False),
        sa.Column("model_key", sa.String(length=64), nullable=False),
        sa.Column("location_key", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failed_step", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("queue_cells", schema=None) as batch_op:
        batch_op.create_index("ix_queue_cells_queue_status", ["queue_id", "status"], unique=False)

    op.create_table(
        "ai_responses",
        sa.Column("cell_key", sa.String(length=40), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("raw_response", sa.JSON(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("requested_location", sa.JSON(), nullable=False),
        sa.Column("applied_location", sa.JSON(), nullable=True),
        sa.Column("location_method", sa.String(length=16), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cell_key"], ["queue_cells.key"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cell_key"),
    )
    op.create_table(
        "question_runs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("queue_id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=False),
        sa.Column("model_key", sa.String(length=64), nullable=False),
        sa.Column("location_key", sa.String(length=64), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("served_model", sa.String(length=255), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("requested_location", sa.JSON(), nullable=False),
        sa.Column("applied_location", sa.JSON(), nullable=True),
        sa.Column("location_method", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["queue_cells.key"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["queue_id"], ["processing_queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("question_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_runs_cell_latest",
            ["org_id", "question_key", "model_key", "location_key", "is_latest"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_question_runs_queue_id"), ["queue_id"], unique=False)

    op.create_table(
        "citations",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("competitor_key", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["question_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "url"),
    )
    op.create_table(
        "claims",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("names_target", sa.Boolean(), nullable=False),
        sa.Column("sentiment_label", sa.String(length=16), nullable=False),
        sa.Column("sentiment_score", sa.Float(), nullable=False),
        sa.Column("citation_urls", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["question_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "position"),
    )
    op.create_table(
        "mentions",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("brand", sa.String(length=96), nullable=False),
        sa.Column("brand_name", sa.String(length=255), nullable=False),
        sa.Column("brand_kind", sa.String(length=16), nullable=False),
        sa.Column("mentioned", sa.Boolean(), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("first_offset", sa.Integer(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("mention_text", sa.Text(), nullable=False),
        sa.Column("mention_chars", sa.Integer(), nullable=False),
        sa.Column("sentiment_label", sa.String(length=16), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["question_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "brand"),
    )
    op.create_table(
        "run_metrics",
        sa.Column("run_id", sa.String(length=40), nullable=False),
        sa.Column("target_mentioned", sa.Boolean(), nullable=False),
        sa.Column("target_rank", sa.Integer(), nullable=True),
        sa.Column("share_of_voice", sa.Float(), nullable=False),
        sa.Column("mention_share", sa.Float(), nullable=True),
        sa.Column("target_sentiment", sa.Float(), nullable=True),
        sa.Column("owned_citation_share", sa.Float(), nullable=True),
        sa.Column("target_mention_chars", sa.Integer(), nullable=False),
        sa.Column("answer_chars", sa.Integer(), nullable=False),
        sa.Column("target_occurrences", sa.Integer(), nullable=False),
        sa.Column("tracked_occurrences", sa.Integer(), nullable=False),
        sa.Column("owned_citations", sa.Integer(), nullable=False),
        sa.Column("total_citations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["question_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id"),
    )


def downgrade() -> None:

    op.drop_table("run_metrics")
    op.drop_table("mentions")
    op.drop_table("claims")
    op.drop_table("citations")
    with op.batch_alter_table("question_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_runs_queue_id"))
        batch_op.drop_index("ix_question_runs_cell_latest")

    op.drop_table("question_runs")
    op.drop_table("ai_responses")
    with op.batch_alter_table("queue_cells", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_cells_queue_status")

    op.drop_table("queue_cells")
    op.drop_table("pushes")
    op.drop_table("analytics_reports")
    op.drop_table("questions")
    with op.batch_alter_table("processing_queues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_queues_org_id"))

    op.drop_table("processing_queues")
    op.drop_table("locations")
    op.drop_table("competitors")
    op.drop_table("aliases")
    op.drop_table("ai_models")
    op.drop_table("orgs")
