"""The micro-steps by name, for the orchestrator and the `ai-visibility step` command alike."""

from __future__ import annotations

from collections.abc import Callable

from ai_visibility.ai.endpoint import EndpointResolver
from ai_visibility.db import Database
from ai_visibility.settings import ExtractionSettings
from ai_visibility.steps.calculate_metrics import calculate_metrics
from ai_visibility.steps.call_ai import call_ai
from ai_visibility.steps.extract_citations import extract_citations
from ai_visibility.steps.extract_claims import extract_claims
from ai_visibility.steps.extract_mentions import extract_mentions
from ai_visibility.steps.llm_extraction import LlmExtractor
from ai_visibility.steps.record_question_run import record_question_run

CellStep = Callable[[Database, str], dict[str, object]]

STEPS: dict[str, CellStep] = {
    "record_question_run": record_question_run,
    "extract_mentions": extract_mentions,
    "extract_claims": extract_claims,
    "extract_citations": extract_citations,
    "calculate_metrics": calculate_metrics,
}
STEP_NAMES = ("call_ai", *STEPS)


def run_step(
    name: str,
    db: Database,
    cell_key: str,
    resolve_endpoint: EndpointResolver,
    timeout_s: float,
    extraction: ExtractionSettings | None = None,
) -> dict[str, object]:
    """Run one step of one cell; `extraction` chooses the rules (default) or the extraction model."""
    if name == "call_ai":
        return call_ai(db, cell_key, resolve_endpoint, timeout_s)
    if name not in STEPS:
        raise KeyError(f"unknown step {name!r}; steps are {list(STEP_NAMES)}")
    if name in ("extract_mentions", "extract_claims") and extraction and extraction.mode == "llm":
        conn_id, api_model = extraction.conn_id or "", extraction.api_model or ""
        llm = LlmExtractor(resolve_endpoint(conn_id), api_model, timeout_s)
        step = extract_mentions if name == "extract_mentions" else extract_claims
        return step(db, cell_key, llm)
    return STEPS[name](db, cell_key)
