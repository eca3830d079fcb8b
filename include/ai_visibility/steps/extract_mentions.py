"""Micro-step 3: mentions of the org, its competitors and discovered brands in the cell's answer."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import delete

from ai_visibility.db import Database, upsert
from ai_visibility.db.models import Mention
from ai_visibility.extraction.mentions import extract_mentions as mentions_in
from ai_visibility.org_store import read_org
from ai_visibility.steps.cell_step import answered_run, cell_step


def extract_mentions(db: Database, cell_key: str) -> dict[str, object]:
    """Replace the run's mention rows with those of its current answer."""
    with cell_step(db, cell_key, "extract_mentions"), db.transaction() as s:
        run = answered_run(s, cell_key)
        results = mentions_in(run.answer_text, read_org(s, run.org_id))
        s.execute(delete(Mention).where(Mention.run_id == cell_key))
        upsert(s, Mention, [{"run_id": cell_key, "mentioned": r.mentioned, **asdict(r)} for r in results])
    target = results[0]
    return {"cell": cell_key, "target_rank": target.rank, "brands_named": sum(r.mentioned for r in results)}
