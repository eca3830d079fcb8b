"""Micro-step 5: the citations of the cell's answer, normalised and classed."""

from __future__ import annotations

from dataclasses import asdict

from ai_visibility.db import Database, replace_cell_rows
from ai_visibility.db.models import AIResponse, Citation
from ai_visibility.extraction.citations import extract_citations as citations_in
from ai_visibility.steps.cell_status import answered_run, track_step
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.group_reads import org_view


def extract_citations(db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """Replace the run's citation rows with those of its current answer and raw response."""
    with track_step(db, cell_key, "extract_citations"), db.transaction() as s:
        run = answered_run(s, cell_key)
        response = s.get(AIResponse, cell_key)
        org = org_view(s, run.org_id, context.reads)
        found = citations_in(run.answer_text, response.raw_response if response else {}, org)
        replace_cell_rows(s, Citation, cell_key, [{"cell_key": cell_key, **asdict(c)} for c in found])
    return {"cell_key": cell_key, "citations": len(found), "owned": sum(c.classification == "owned" for c in found)}
