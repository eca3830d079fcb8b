"""The CSV files pushed next to the analytics document: one row per cell, and the competitor table.

Rows come in a fixed order (cells by queue position, brands as the document ranks them) so the same
queue always yields the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ai_visibility.db.models import Mention, Question, QuestionRun, QueueCell, RunMetrics

RUN_COLUMNS = (
    "question_key",
    "question",
    "model",
    "location",
    "sample",
    "mentioned",
    "rank",
    "share_of_voice",
    "sentiment_label",
    "citations",
    "cost_usd",
    "status",
)
COMPETITOR_COLUMNS = (
    "brand",
    "name",
    "kind",
    "visibility",
    "visibility_ci95_low",
    "visibility_ci95_high",
    "share_of_voice",
    "mention_share",
    "mean_rank",
)


def runs_csv(s: Session, queue_id: str) -> bytes:
    """Every cell of the queue; the figures only for a completed cell (a failed cell may have rows
    left over from an earlier attempt, which the analytics do not count either). The question as the
    cell's run asked it; the org's file's text for a cell that has no run."""
    rows = s.execute(
        select(QueueCell, func.coalesce(QuestionRun.question_text, Question.text), QuestionRun.cost_usd, RunMetrics)
        .outerjoin(Question, and_(Question.org_id == QueueCell.org_id, Question.key == QueueCell.question_key))
        .outerjoin(QuestionRun, QuestionRun.id == QueueCell.key)
        .outerjoin(RunMetrics, RunMetrics.cell_key == QueueCell.key)
        .where(QueueCell.queue_id == queue_id)
        .order_by(QueueCell.position)
    ).all()
    labels = dict(
        s.execute(
            select(Mention.cell_key, Mention.sentiment_label)
            .join(QueueCell, QueueCell.key == Mention.cell_key)
            .where(QueueCell.queue_id == queue_id, Mention.brand_kind == "target", Mention.mentioned)
        ).all()
    )
    lines = []
    for cell, question, cost, metrics in rows:
        done = cell.status == "completed" and metrics is not None
        lines.append(
            (
                cell.question_key,
                question or "",
                cell.model_key,
                cell.location_key,
                cell.sample,
                metrics.target_mentioned if done else None,
                metrics.target_rank if done else None,
                round(metrics.share_of_voice, 4) if done else None,
                labels.get(cell.key) if done else None,
                metrics.total_citations if done else None,
                round(cost, 6) if done and cost is not None else None,
                cell.status,
            )
        )
    return _csv(RUN_COLUMNS, lines)


def competitors_csv(document: dict[str, Any]) -> bytes:
    """The document's competitor table (the org included), rates as the document rounds them."""
    lines = []
    for row in document["competitors"]:
        interval = row["visibility"]["ci95"] or (None, None)
        lines.append(
            (
                row["brand"],
                row["name"],
                row["kind"],
                row["visibility"]["rate"],
                *interval,
                row["share_of_voice"]["mean"],
                row["mention_share"],
                row["rank"]["mean"],
            )
        )
    return _csv(COMPETITOR_COLUMNS, lines)


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    # Empty for a missing value, lower-case booleans: what spreadsheet and warehouse loaders read.
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue().encode()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return value
