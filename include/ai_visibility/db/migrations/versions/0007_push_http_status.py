"""Pushes record the receiver's HTTP status; webhook URLs (with their tokens) leave the table

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 04:20:00.000000
"""

import hashlib
from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pushes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("http_status", sa.Integer(), nullable=True))
    # Rows written before webhooks came from connections hold the full URL, token included, in their
    # key and location. Keep them, under the URL's scheme and host plus a short digest (unique per URL).
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT queue_id, destination FROM pushes WHERE destination LIKE 'http://%' OR destination LIKE 'https://%'"
        )
    ).all()
    for queue_id, url in rows:
        parts = urlsplit(url)
        redacted = f"{parts.scheme}://{parts.hostname or '?'}"
        conn.execute(
            sa.text(
                "UPDATE pushes SET destination = :new, location = :location WHERE queue_id = :q AND destination = :old"
            ),
            {
                "new": f"webhook {redacted} #{hashlib.sha256(url.encode()).hexdigest()[:8]}",
                "location": redacted,
                "q": queue_id,
                "old": url,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("pushes", schema=None) as batch_op:
        batch_op.drop_column("http_status")
