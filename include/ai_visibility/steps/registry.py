"""The micro-steps by name, in the order a cell runs them, for the orchestrator and the
`ai-visibility step` command alike. Every step is `step(db, cell_key, context)`."""

from __future__ import annotations

from collections.abc import Callable

from ai_visibility.db import Database
from ai_visibility.errors import InputError
from ai_visibility.steps.calculate_metrics import calculate_metrics
from ai_visibility.steps.call_ai import call_ai
from ai_visibility.steps.cell_status import is_step_timeout, record_timeout
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.extract_citations import extract_citations
from ai_visibility.steps.extract_claims import extract_claims
from ai_visibility.steps.extract_mentions import extract_mentions
from ai_visibility.steps.record_question_run import record_question_run

CellStep = Callable[[Database, str, StepContext], dict[str, object]]

STEPS: dict[str, CellStep] = {
    "call_ai": call_ai,
    "record_question_run": record_question_run,
    "extract_mentions": extract_mentions,
    "extract_claims": extract_claims,
    "extract_citations": extract_citations,
    "calculate_metrics": calculate_metrics,
}
STEP_NAMES = tuple(STEPS)


def run_step(name: str, db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """Run one step of one cell; a step stopped at its limit records the limit in its reason."""
    if name not in STEPS:
        raise InputError(f"unknown step {name!r}: use one of {list(STEP_NAMES)}")
    try:
        return STEPS[name](db, cell_key, context)
    except BaseException as exc:
        if context.step_timeout_s and is_step_timeout(exc):
            record_timeout(db, cell_key, name, context.step_timeout_s)
        raise
