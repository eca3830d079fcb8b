"""Step 7: the run's verdict, given on outputs that describe the queue's cells as they stand.

Cells can complete after latest flags, analytics and push ran: a user clears failed cells and
Airflow reruns only what failed, so those three (which succeeded) are not rerun. The check then
brings them up to date itself before it judges, with the same idempotent steps.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from ai_visibility import analytics, latest_flags, push
from ai_visibility.db import Database
from ai_visibility.db.engine import as_utc
from ai_visibility.db.models import AnalyticsReport, ProcessingQueue, Push, QueueCell
from ai_visibility.extraction.source_kinds import SourceKinds
from ai_visibility.push import Destination
from ai_visibility.queue import Progress, require_all_completed

log = logging.getLogger(__name__)


def check_cells(
    db: Database, queue_id: str, destinations: Sequence[Destination], source_kinds: SourceKinds | None = None
) -> Progress:
    """Refresh latest flags, analytics and push when they are stale against the cells, then fail
    (`CellsFailed`) when any cell did not complete."""
    reasons = _stale_outputs(db, queue_id, destinations)
    if reasons:
        log.info("queue %s: refreshing latest flags, analytics and push: %s", queue_id, "; ".join(reasons))
        log.info("%s", latest_flags.update_latest_flags(db, queue_id))
        log.info("%s", analytics.generate_analytics(db, queue_id, source_kinds))
        log.info("%s", push.push_analytics(db, queue_id, destinations))
    return require_all_completed(db, queue_id)


def _stale_outputs(db: Database, queue_id: str, destinations: Sequence[Destination]) -> list[str]:
    """Why the queue's published outputs no longer match its cells; empty when they all do.

    Exact comparisons only (statuses, the document's own fields, the pushed body's hash), never
    clocks, so a worker on another machine cannot make fresh outputs look stale or the reverse.
    """
    with db.transaction() as s:
        queue = s.get(ProcessingQueue, queue_id)
        if queue is None:
            raise LookupError(f"processing queue {queue_id!r} does not exist")
        cells = s.execute(select(QueueCell.key, QueueCell.status).where(QueueCell.queue_id == queue_id)).all()
        report = s.get(AnalyticsReport, queue_id)
        pushed = {
            p.destination: p.idempotency_key
            for p in s.scalars(select(Push).where(Push.queue_id == queue_id, Push.status == "pushed"))
        }
    completed = sum(status == "completed" for _, status in cells)
    failed = sorted(key for key, status in cells if status == "failed")
    if queue.finished_at is None or completed + len(failed) < len(cells):
        return ["latest flags have not been set since cells last ran"]
    if report is None:
        return ["no analytics document"]
    document = report.document
    coverage = document["coverage"]
    covered = (coverage["succeeded"], sorted(f["cell_key"] for f in coverage["failures"]))
    if covered != (completed, failed):
        return [
            f"analytics cover {coverage['succeeded']} completed and {coverage['failed']} failed cells, "
            f"the queue has {completed} and {len(failed)}"
        ]
    expected = "completed" if not failed else "partial" if completed else "failed"
    if queue.status != expected:
        return [f"the queue is marked {queue.status} but its cells make it {expected}"]
    if document["queue"]["status"] != queue.status or document["queue"]["finished_at"] != (
        as_utc(queue.finished_at).isoformat()
    ):
        return ["analytics predate the latest flags"]
    key = push.idempotency_key(queue_id, push.document_body(document))
    return [
        f"{name} does not have the current document"
        for name in map(push.destination_name, destinations)
        if pushed.get(name) != key
    ]
