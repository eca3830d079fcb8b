"""Step 4: close the queue and make its successful runs the latest answers of their cells."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, tuple_, update

from ai_visibility.db import Database
from ai_visibility.db.engine import as_utc, lock_for
from ai_visibility.db.models import ProcessingQueue, QuestionRun, QueueCell
from ai_visibility.queue import progress_in


def update_latest_flags(db: Database, queue_id: str) -> dict[str, object]:
    """In one transaction: cells that never finished are failed, the queue gets its final status,
    and each completed cell's run replaces the previous latest run of that cell (never a newer one).
    A cell that failed here keeps its previous latest answer.
    """
    with db.transaction() as s:
        queue = s.get(ProcessingQueue, queue_id)
        if queue is None:
            raise LookupError(f"processing queue {queue_id!r} does not exist")
        lock_for(s, f"latest-flags:{queue.org_id}")
        now = datetime.now(UTC)
        s.execute(
            update(QueueCell)
            .where(QueueCell.queue_id == queue_id, QueueCell.status.in_(("pending", "running")))
            .values(
                status="failed", error="did not finish: an earlier step of this cell never completed", finished_at=now
            )
        )
        done = s.execute(
            select(QuestionRun.id, QuestionRun.question_key, QuestionRun.model_key, QuestionRun.location_key)
            .join(QueueCell, QueueCell.key == QuestionRun.id)
            .where(QueueCell.queue_id == queue_id, QueueCell.status == "completed")
        ).all()
        cell_of = {_cell(r): r.id for r in done}
        current = (
            s.execute(
                select(
                    QuestionRun.id,
                    QuestionRun.question_key,
                    QuestionRun.model_key,
                    QuestionRun.location_key,
                    ProcessingQueue.created_at,
                )
                .join(ProcessingQueue, ProcessingQueue.id == QuestionRun.queue_id)
                .where(
                    QuestionRun.org_id == queue.org_id,
                    QuestionRun.is_latest.is_(True),
                    tuple_(QuestionRun.question_key, QuestionRun.model_key, QuestionRun.location_key).in_(
                        list(cell_of)
                    ),
                )
            ).all()
            if cell_of
            else []
        )
        # A latest run from a queue created after this one stays latest: a late rerun never takes it back.
        newer = {_cell(r) for r in current if r.id != cell_of[_cell(r)] and _after(r.created_at, queue.created_at)}
        promote = [run_id for cell, run_id in cell_of.items() if cell not in newer]
        demote = [r.id for r in current if _cell(r) not in newer and r.id not in promote]
        if demote:
            s.execute(update(QuestionRun).where(QuestionRun.id.in_(demote)).values(is_latest=False))
        if promote:
            s.execute(update(QuestionRun).where(QuestionRun.id.in_(promote)).values(is_latest=True))
        counts = progress_in(s, queue_id)
        queue.status = "completed" if counts.failed == 0 else "partial" if counts.completed else "failed"
        queue.finished_at = now
    return {
        "queue_id": queue_id,
        "status": queue.status,
        "latest": len(promote),
        "kept_newer": len(newer),
        "completed": counts.completed,
        "failed": counts.failed,
    }


def _cell(row: Any) -> tuple[str, str, str]:
    return row.question_key, row.model_key, row.location_key


def _after(a: datetime, b: datetime) -> bool:
    return as_utc(a) > as_utc(b)
