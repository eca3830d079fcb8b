"""Micro-step 4: the factual statements of the cell's answer, with their citations."""

from __future__ import annotations

from ai_visibility.db import Database, replace_cell_rows
from ai_visibility.db.models import AIResponse, Claim
from ai_visibility.extraction.citations import numbered_sources
from ai_visibility.extraction.claims import extract_claims as claims_in
from ai_visibility.extraction.llm import LlmClaims, claims_from
from ai_visibility.steps.cell_status import answered_run, track_step
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.group_reads import org_view
from ai_visibility.steps.llm_extraction import extract_with, ledgered_calls


def extract_claims(db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """Replace the run's claim rows with those of its current answer (rules, or the extraction model)."""
    llm = context.extractor()
    with track_step(db, cell_key, "extract_claims") as cell:
        with db.transaction() as s:
            run = answered_run(s, cell_key)
            response = s.get(AIResponse, cell_key)
            sources = numbered_sources(response.raw_response) if response else []
            answer, org = run.answer_text, org_view(s, run.org_id, context.reads)
        ledgered = ledgered_calls(db, cell, llm, "claims")
        claims, extracted_by = extract_with(
            llm,
            "claims",
            LlmClaims,
            answer,
            org,
            lambda found: claims_from(answer, org, found, sources),
            lambda: claims_in(answer, org, sources),
            ledgered,
        )
        with db.transaction() as s:
            replace_cell_rows(
                s,
                Claim,
                cell_key,
                [
                    {
                        "cell_key": cell_key,
                        "position": c.position,
                        "text": c.text,
                        "names_target": c.names_target,
                        "sentiment_label": c.sentiment_label,
                        "sentiment_score": c.sentiment_score,
                        "citation_urls": list(c.citation_urls),
                        "extracted_by": extracted_by,
                    }
                    for c in claims
                ],
            )
    return {
        "cell_key": cell_key,
        "claims": len(claims),
        "naming_target": sum(c.names_target for c in claims),
        "extracted_by": extracted_by,
    }
