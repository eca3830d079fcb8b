"""Micro-step 6: the run's competitive metrics; completing it completes the cell."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ai_visibility.db import Database, upsert
from ai_visibility.db.models import Citation, Mention, RunMetrics
from ai_visibility.errors import InputError
from ai_visibility.queue import progress_in
from ai_visibility.steps.cell_step import answered_run, cell_step, complete_cell

log = logging.getLogger(__name__)


def calculate_metrics(db: Database, cell_key: str) -> dict[str, object]:
    with cell_step(db, cell_key, "calculate_metrics"), db.transaction() as s:
        run = answered_run(s, cell_key)
        mentions = s.scalars(select(Mention).where(Mention.run_id == cell_key)).all()
        target = next((m for m in mentions if m.brand_kind == "target"), None)
        if target is None:
            raise InputError(f"run {cell_key!r} has no mention rows: extract_mentions must succeed first")
        citations = s.scalars(
            select(Citation.classification).where(Citation.run_id == cell_key, Citation.origin != "search_source")
        ).all()
        tracked = sum(m.occurrences for m in mentions if m.brand_kind != "discovered")
        owned = sum(1 for c in citations if c == "owned")
        answer_chars = len(run.answer_text)
        row = {
            "run_id": cell_key,
            "target_mentioned": target.mentioned,
            "target_rank": target.rank,
            "share_of_voice": round(100 * target.mention_chars / answer_chars, 4) if answer_chars else 0.0,
            "mention_share": round(target.occurrences / tracked, 4) if tracked else None,
            "target_sentiment": target.sentiment_score,
            "owned_citation_share": round(owned / len(citations), 4) if citations else None,
            "target_mention_chars": target.mention_chars,
            "answer_chars": answer_chars,
            "target_occurrences": target.occurrences,
            "tracked_occurrences": tracked,
            "owned_citations": owned,
            "total_citations": len(citations),
        }
        upsert(s, RunMetrics, row)
        complete_cell(s, cell_key)
        log.info("cell %s completed; queue %s: %s", cell_key, run.queue_id, progress_in(s, run.queue_id))
    return {"cell": cell_key, "mentioned": row["target_mentioned"], "share_of_voice": row["share_of_voice"]}
