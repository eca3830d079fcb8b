"""The micro-steps by name, in the order a cell runs them, for the orchestrator and the
`ai-visibility step` command alike. Every step is `step(db, cell_key, context)`, the function of
the same name in `ai_visibility.steps.<name>`."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from ai_visibility.errors import InputError

if TYPE_CHECKING:
    from ai_visibility.db import Database
    from ai_visibility.steps.context import StepContext

CellStep = Callable[["Database", str, "StepContext"], dict[str, object]]

STEP_NAMES = (
    "call_ai",
    "record_question_run",
    "extract_mentions",
    "extract_claims",
    "extract_citations",
    "calculate_metrics",
)


def step_function(name: str) -> CellStep:
    """The step's function, its module imported only now: each step's task process imports what that
    step uses (the `openai` SDK only for `call_ai`, the extraction rules only for extraction)."""
    if name not in STEP_NAMES:
        raise InputError(f"unknown step {name!r}: use one of {list(STEP_NAMES)}")
    step: CellStep = getattr(import_module(f"ai_visibility.steps.{name}"), name)
    return step


def run_step(name: str, db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """Run one step of one cell; a step stopped at its limit records the limit in its reason."""
    step = step_function(name)
    try:
        return step(db, cell_key, context)
    except BaseException as exc:
        from ai_visibility.steps.cell_status import is_step_timeout, record_timeout

        if context.step_timeout_s and is_step_timeout(exc):
            record_timeout(db, cell_key, name, context.step_timeout_s)
        raise
