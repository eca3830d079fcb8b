"""Re-extraction over history: the stored answers of chosen queues run through today's extraction
again (mentions, claims, citations, metrics) without any AI call, so that old runs carry the
current `EXTRACTION_VERSION` and their trends compare like with like.

Answers, question runs, the usage ledger and the cells' statuses stay as they are; only the rows
the extraction steps own are replaced (each step replaces its rows by cell key, so a rerun writes
the same rows again).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.db import Database
from ai_visibility.db.engine import as_utc
from ai_visibility.db.migrate import require_current_schema
from ai_visibility.db.models import ProcessingQueue, QuestionRun, QueueCell
from ai_visibility.errors import InputError
from ai_visibility.org_store import read_org
from ai_visibility.reprocess_conf import ReprocessConf
from ai_visibility.settings import ExtractionSettings
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.registry import run_step

REEXTRACTION_STEPS = ("extract_mentions", "extract_claims", "extract_citations", "calculate_metrics")
log = logging.getLogger(__name__)


def _no_ai(conn_id: str) -> Endpoint:
    raise InputError(f"reprocess_org makes no AI call, yet a step asked for connection {conn_id!r}")


# Rules mode: the extraction model would be an AI call, billed to the ledger.
OFFLINE = StepContext(_no_ai, ai_deadline_s=0, extraction=ExtractionSettings(mode="rules"))


def plan_reprocess(db: Database, conf: ReprocessConf, max_cells: int) -> list[dict[str, str]]:
    """The answered cells of the selected queues, oldest queue first, to map over: `cell_key`,
    `label` and `queue_id` of each.

    Cells without an answer (failed before) are skipped and named in the log; a queue that is still
    running is refused by id and skipped in a date range, since its run will close it itself.
    """
    require_current_schema(db)
    with db.transaction() as s:
        read_org(s, conf.org_id)
        queues = _queues(s, conf)
        rows = s.execute(
            select(QueueCell, QuestionRun.status)
            .join(ProcessingQueue, ProcessingQueue.id == QueueCell.queue_id)
            .outerjoin(QuestionRun, QuestionRun.id == QueueCell.key)
            .where(QueueCell.queue_id.in_(queues))
            .order_by(ProcessingQueue.created_at, QueueCell.position)
        ).all()
    cells: list[dict[str, str]] = []
    for cell, run_status in rows:
        if cell.status == "completed" and run_status == "answered":
            cells.append({"cell_key": cell.key, "label": cell.label, "queue_id": cell.queue_id})
        else:
            log.warning(
                "skipped %s (queue %s): it has no completed answer to re-extract (%s at %s: %s)",
                cell.label,
                cell.queue_id,
                cell.status,
                cell.failed_step or "unfinished",
                cell.error,
            )
    if not cells:
        raise InputError(f"queues {queues} of org {conf.org_id!r} have no answered runs to reprocess")
    if len(cells) > max_cells:
        raise InputError(
            f"{len(cells)} answered runs exceed Airflow's [core] max_map_length of {max_cells}: "
            "reprocess fewer queues per run (a shorter date range, or fewer conf.queues), or raise max_map_length"
        )
    affected = queues_of(cells)
    log.info("reprocessing %d answered runs of %d queues: %s", len(cells), len(affected), affected)
    return cells


def queues_of(cells: list[dict[str, str]]) -> list[str]:
    """The queues the planned cells belong to, in plan order: each gets new flags, analytics and a push."""
    return list(dict.fromkeys(c["queue_id"] for c in cells))


def _queues(s: Session, conf: ReprocessConf) -> list[str]:
    of_org = select(ProcessingQueue).where(ProcessingQueue.org_id == conf.org_id)
    if conf.queues is not None:
        found = {q.id: q for q in s.scalars(of_org.where(ProcessingQueue.id.in_(conf.queues)))}
        unknown = [q for q in conf.queues if q not in found]
        if unknown:
            recent = s.scalars(
                of_org.with_only_columns(ProcessingQueue.id).order_by(ProcessingQueue.created_at.desc()).limit(5)
            ).all()
            raise InputError(
                f"conf.queues: {unknown} are not queues of org {conf.org_id!r}; its latest are {list(recent)}"
            )
        running = [q for q in conf.queues if found[q].status == "running"]
        if running:
            raise InputError(
                f"conf.queues: {running} are still running (their process_org run has not closed them): "
                "reprocess them after that run ends"
            )
        return list(dict.fromkeys(conf.queues))
    window = of_org
    if (start := conf.created_from()) is not None:
        window = window.where(ProcessingQueue.created_at >= start)
    if (end := conf.created_before()) is not None:
        window = window.where(ProcessingQueue.created_at < end)
    selected = s.scalars(window.order_by(ProcessingQueue.created_at)).all()
    for queue in selected:
        if queue.status == "running":
            log.warning("skipped queue %s: still running (DAG run %s)", queue.id, queue.dag_run_id)
    finished = [q.id for q in selected if q.status != "running"]
    if not finished:
        raise InputError(
            f"org {conf.org_id!r} has no finished queue created from {conf.since or 'the start'} to "
            f"{conf.until or 'today'} (UTC): widen conf.since / conf.until, or name queues in conf.queues"
        )
    return finished


def reextract(db: Database, cell_key: str, step: str) -> dict[str, object]:
    """One extraction step of one answered cell, offline, with the rules of this release."""
    if step not in REEXTRACTION_STEPS:
        raise InputError(f"{step!r} is not a re-extraction step: use one of {list(REEXTRACTION_STEPS)}")
    return run_step(step, db, cell_key, OFFLINE)


def reprocess_progress(db: Database, planned: list[dict[str, str]], started_at: datetime) -> dict[str, Any]:
    """How a reprocess run fared, read back for its failure alert from its plan (`plan_reprocess`'s
    cells): what a date range selects now is not what it selected then (a queue running then, and
    skipped, may have finished since).

    The run has no queue of its own. Its `queues` are its plan's, in plan order (as `refresh_queue`
    is mapped over them); its runs are the planned cells re-extracted by this run (completed since it
    started, `started_at`: each step clears the cell's finish time, the last stamps it) or failed at a
    re-extraction step (a planned cell was completed when planned, so its failure is this run's). The
    shape of `reports.run_progress`'s counts and open cells, each with its queue."""
    queues = queues_of(planned)
    keys = {c["cell_key"] for c in planned}
    with db.transaction() as s:
        cells = [
            c
            for c in s.scalars(
                select(QueueCell)
                .join(ProcessingQueue, ProcessingQueue.id == QueueCell.queue_id)
                .where(QueueCell.queue_id.in_(queues))
                .order_by(ProcessingQueue.created_at, QueueCell.position)
            )
            if c.key in keys
        ]
    failed = [c for c in cells if c.status == "failed" and c.failed_step in REEXTRACTION_STEPS]
    completed = [c for c in cells if c.status == "completed" and c.finished_at and as_utc(c.finished_at) >= started_at]
    return {
        "queues": queues,
        "cells": {"total": len(failed) + len(completed), "completed": len(completed), "failed": len(failed)},
        "open_cells": [
            {"label": c.label, "status": c.status, "step": c.failed_step, "reason": c.error, "queue_id": c.queue_id}
            for c in failed
        ],
    }


class ReextractionFailed(RuntimeError):
    pass


def require_reextracted(db: Database, cells: list[dict[str, str]]) -> int:
    """Fail, naming the cells and why, when a planned cell did not finish its re-extraction."""
    with db.transaction() as s:
        failed = s.execute(
            select(QueueCell.label, QueueCell.failed_step, QueueCell.error)
            .where(QueueCell.key.in_([c["cell_key"] for c in cells]), QueueCell.status != "completed")
            .order_by(QueueCell.queue_id, QueueCell.position)
        ).all()
    if failed:
        lines = "\n".join(f"  - {label} [{step or 'unfinished'}]: {error}" for label, step, error in failed[:10])
        raise ReextractionFailed(
            f"{len(failed)} of {len(cells)} runs failed their re-extraction (clear their failed tasks to "
            f"retry them):\n{lines}"
        )
    return len(cells)
