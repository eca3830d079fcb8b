"""Micro-step 3: mentions of the org, its competitors and discovered brands in the cell's answer."""

from __future__ import annotations

from dataclasses import asdict

from ai_visibility.db import Database, replace_cell_rows
from ai_visibility.db.models import Mention
from ai_visibility.extraction.llm import LlmMentions, mentions_from
from ai_visibility.extraction.mentions import extract_mentions as mentions_in
from ai_visibility.steps.cell_status import answered_run, track_step
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.group_reads import org_view
from ai_visibility.steps.llm_extraction import extract_with, ledgered_calls


def extract_mentions(db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """Replace the run's mention rows with those of its current answer (rules, or the extraction model)."""
    llm = context.extractor()
    with track_step(db, cell_key, "extract_mentions") as cell:
        with db.transaction() as s:
            run = answered_run(s, cell_key)
            answer, org = run.answer_text, org_view(s, run.org_id, context.reads)
        # The extraction model is called outside any transaction.
        ledgered = ledgered_calls(db, cell, llm, "mentions")
        results, extracted_by = extract_with(
            llm,
            "mentions",
            LlmMentions,
            answer,
            org,
            lambda found: mentions_from(answer, org, found),
            lambda: mentions_in(answer, org),
            ledgered,
        )
        with db.transaction() as s:
            replace_cell_rows(
                s,
                Mention,
                cell_key,
                [
                    {"cell_key": cell_key, "mentioned": r.mentioned, "extracted_by": extracted_by, **asdict(r)}
                    for r in results
                ],
            )
    target = results[0]
    return {
        "cell_key": cell_key,
        "target_rank": target.rank,
        "brands_named": sum(r.mentioned for r in results),
        "extracted_by": extracted_by,
    }
