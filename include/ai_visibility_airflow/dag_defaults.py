"""What the org DAGs share: retries of their tasks and the org parameter of their trigger form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import Param

from ai_visibility.settings import Settings


def retry_args(settings: Settings) -> dict[str, Any]:
    """Retries with exponential backoff: transient failures heal without anyone clearing a task."""
    return {
        "retries": settings.step_retries,
        "retry_delay": timedelta(seconds=5),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=2),
    }


def org_param(settings: Settings, what: str) -> Param:
    return Param(
        settings.default_org,
        type="string",
        minLength=1,
        title="Organization",
        description_md=f"Id of the org {what}, as stored in the app database. The default comes from "
        "`AI_VISIBILITY_DEFAULT_ORG` (the demo org `brightpath` unless set).",
    )


def narrowing(title: str, what: str) -> Param:
    """A list of keys that narrows the run. The trigger form shows it as a textarea, one key per
    line: cleared, it sends null (or `[""]` before the field loses focus), and blank lines are
    ignored (`RunConf`), so an empty field means every one. An explicit `[]` is refused here, at
    trigger time, rather than by the run."""
    return Param(
        None,
        type=["null", "array"],
        items={"type": "string"},
        minItems=1,
        title=title,
        description_md=f"{what}: one key per line (in the conf, a JSON list of at least one key). Leave the "
        "field empty, or the key out of the conf, to use every one the org has.",
    )


def _whole_number(title: str, maximum: int, description_md: str) -> Param:
    """An optional whole number from 1 to `maximum`; empty means the org's own setting."""
    return Param(None, type=["null", "integer"], minimum=1, maximum=maximum, title=title, description_md=description_md)


def process_org_params(settings: Settings) -> dict[str, Param]:
    """process_org's trigger form: the org, what narrows its run, the budget, samples and grouping."""
    from ai_visibility.org_spec import MAX_CELLS_PER_TASK, MAX_SAMPLES

    return {
        "org_id": org_param(settings, "to process"),
        "questions": narrowing("Questions", "Questions to ask"),
        "models": narrowing("AI models", "AI models to ask"),
        "locations": narrowing("Locations", "Locations to ask from"),
        "budget_usd": Param(
            None,
            type=["null", "number"],
            minimum=0,
            title="Budget (USD)",
            description_md="Refuse the run before any AI call when its estimated cost is higher. Empty: no limit.",
        ),
        "samples": _whole_number(
            "Samples per cell",
            MAX_SAMPLES,
            "How many times to ask each question × model × location: engines answer the same question "
            f"differently from one call to the next. 1 to {MAX_SAMPLES}; each sample is one more AI call per "
            "cell (the estimate and the budget count them). Empty: the org's own setting (1 unless it sets "
            "`samples`).",
        ),
        "cells_per_task": _whole_number(
            "Cells per task",
            MAX_CELLS_PER_TASK,
            "How many cells of one model each mapped `process_cell` instance works on, its AI calls a few at a "
            "time. 1: one instance per cell. Raise it for orgs larger than `[core] max_map_length` or when the "
            "scheduler is the limit. Empty: the org's `cells_per_task` (1 unless set).",
        ),
    }
