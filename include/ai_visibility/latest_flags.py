"""Step 4: close the queue and make its successful runs the latest answers of their cells."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select, tuple_, update

from ai_visibility.db import Database
from ai_visibility.db.engine import lock_for
from ai_visibility.db.models import ProcessingQueue, QuestionRun, QueueCell
from ai_visibility.queue import progress_in

DID_NOT_FINISH = "did not finish: an earlier step of this cell never completed"


def update_latest_flags(db: Database, queue_id: str) -> dict[str, object]:
    """In one transaction: cells that never finished are failed, the queue gets its final status,
    and each cell of the queue gets as latest run the newest run whose cell completed, among this
    queue and the queues already finished (a queue still running publishes its runs when it finishes).

    So a cell that failed here keeps its previous latest answer, a cleared cell that failed hands the
    flag back to the previous answer, and an older queue finishing late never takes the flag back.
    """
    with db.transaction() as s:
        queue = s.get(ProcessingQueue, queue_id)
        if queue is None:
            raise LookupError(f"processing queue {queue_id!r} does not exist")
        lock_for(s, f"latest-flags:{queue.org_id}")
        now = datetime.now(UTC)
        unfinished = and_(QueueCell.queue_id == queue_id, QueueCell.status.in_(("pending", "running")))
        s.execute(
            update(QuestionRun)
            .where(QuestionRun.id.in_(select(QueueCell.key).where(unfinished)))
            .values(status="failed", error=DID_NOT_FINISH)
        )
        s.execute(update(QueueCell).where(unfinished).values(status="failed", error=DID_NOT_FINISH, finished_at=now))

        # A cell's identity across queues; each sample of a cell has its own latest run.
        cell = (QuestionRun.question_key, QuestionRun.model_key, QuestionRun.location_key, QuestionRun.sample)
        of_this_queues_cells = and_(
            QuestionRun.org_id == queue.org_id,
            tuple_(*cell).in_(
                select(QueueCell.question_key, QueueCell.model_key, QueueCell.location_key, QueueCell.sample).where(
                    QueueCell.queue_id == queue_id
                )
            ),
        )
        newest_first = func.row_number().over(
            partition_by=cell, order_by=(ProcessingQueue.created_at.desc(), ProcessingQueue.id.desc())
        )
        ranked = (
            select(QuestionRun.id, newest_first.label("newness"))
            .join(QueueCell, QueueCell.key == QuestionRun.id)
            .join(ProcessingQueue, ProcessingQueue.id == QuestionRun.queue_id)
            .where(
                of_this_queues_cells,
                QueueCell.status == "completed",
                or_(ProcessingQueue.id == queue_id, ProcessingQueue.finished_at.is_not(None)),
            )
            .subquery()
        )
        latest = select(ranked.c.id).where(ranked.c.newness == 1)
        # Demote first: the unique index on a cell's latest run is checked row by row, so promoting
        # while the old latest row still holds the flag would be refused.
        s.execute(
            update(QuestionRun)
            .where(of_this_queues_cells, QuestionRun.is_latest.is_(True), QuestionRun.id.not_in(latest))
            .values(is_latest=False)
            .execution_options(synchronize_session=False)
        )
        s.execute(
            update(QuestionRun)
            .where(QuestionRun.id.in_(latest), QuestionRun.is_latest.is_(False))
            .values(is_latest=True)
            .execution_options(synchronize_session=False)
        )
        counts = progress_in(s, queue_id)
        queue.status = "completed" if counts.failed == 0 else "partial" if counts.completed else "failed"
        queue.finished_at = now
        published = s.scalar(
            select(func.count()).where(QuestionRun.queue_id == queue_id, QuestionRun.is_latest.is_(True))
        )
    return {
        "queue_id": queue_id,
        "status": queue.status,
        "latest": published,
        "kept_newer": counts.completed - (published or 0),
        "completed": counts.completed,
        "failed": counts.failed,
    }
