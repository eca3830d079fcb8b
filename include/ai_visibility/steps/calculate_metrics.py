"""Micro-step 6: the run's competitive metrics; completing it completes the cell."""

from __future__ import annotations

import logging
from dataclasses import asdict

from sqlalchemy import select

from ai_visibility.db import Database, upsert
from ai_visibility.db.models import Citation, Mention, RunMetrics
from ai_visibility.errors import InputError
from ai_visibility.extraction.limits import readable
from ai_visibility.extraction.metrics import compute_metrics
from ai_visibility.extraction.version import EXTRACTION_VERSION
from ai_visibility.queue import progress_in
from ai_visibility.steps.cell_status import answered_run, complete_cell, track_step
from ai_visibility.steps.context import StepContext

log = logging.getLogger(__name__)


def calculate_metrics(db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """The run's metrics from its mentions and citations, stamped with the extraction version that
    produced them; completes the cell in the same transaction."""
    with track_step(db, cell_key, "calculate_metrics"), db.transaction() as s:
        run = answered_run(s, cell_key)
        mentions = s.scalars(select(Mention).where(Mention.cell_key == cell_key)).all()
        if not any(m.brand_kind == "target" for m in mentions):
            raise InputError(f"run {cell_key!r} has no mention rows: extract_mentions must succeed first")
        citations = s.scalars(
            select(Citation.classification).where(Citation.cell_key == cell_key, Citation.origin != "search_source")
        ).all()
        metrics = compute_metrics(len(readable(run.answer_text)), mentions, citations)
        row = {"cell_key": cell_key, **asdict(metrics), "extraction_version": EXTRACTION_VERSION}
        upsert(s, RunMetrics, row)
        completed = complete_cell(s, cell_key)
        if completed:
            log.info("cell %s completed; queue %s: %s", cell_key, run.queue_id, progress_in(s, run.queue_id))
        else:
            log.warning("cell %s keeps the failure a sibling step recorded: rerun that step", cell_key)
    return {
        "cell_key": cell_key,
        "completed": completed,
        "mentioned": row["target_mentioned"],
        "share_of_voice": row["share_of_voice"],
    }
