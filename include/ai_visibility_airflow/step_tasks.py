"""The micro-steps of one cell as tasks of the mapped group: in the worker, or on ECS Fargate.

Both kinds run the same step function (`ai_visibility.steps.registry.run_step`), keep the same
grid label, time limit, retries and the AI-call concurrency limit, and pass nothing but the cell key.
`reprocess_org`'s extraction steps run the same functions offline, in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from airflow.sdk import task
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.errors import FAIL_FAST
from ai_visibility.settings import Settings
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.registry import run_step
from ai_visibility_airflow.connections import app_db, endpoint

T = TypeVar("T")
StepTask = Callable[[Any], Any]  # takes the group's mapped cell, returns the task


def fail_fast(call: Callable[[], T]) -> T:
    """Bad input, or a provider whose breaker is open, will not heal on retry: fail the task at once with
    the message that names the fix."""
    try:
        return call()
    except FAIL_FAST as exc:
        raise AirflowFailException(str(exc)) from exc


def step_task(step: str, settings: Settings, **options: Any) -> StepTask:
    """The task that runs `step` for one cell, in the execution mode the settings choose."""
    if settings.execution == "ecs":
        from ai_visibility_airflow.ecs import ecs_step_task

        return ecs_step_task(step, settings, **options)

    limit = timedelta(seconds=settings.step_timeout_s)

    @task(task_id=step, map_index_template="{{ cell.label }}", execution_timeout=limit, **options)
    def run(cell: dict[str, str]) -> dict[str, object]:
        now = Settings.from_env()
        context = StepContext(endpoint, now.ai_deadline_s, now.extraction, now.breaker, now.step_timeout_s)
        return fail_fast(lambda: run_step(step, app_db(), cell["cell_key"], context))

    return lambda cell: run(cell=cell)


def reextraction_task(step: str, settings: Settings) -> StepTask:
    """The task that reruns extraction `step` on one stored answer for `reprocess_org`: always in the
    worker, since it makes no AI call (no pool, no container)."""

    @task(
        task_id=step,
        map_index_template="{{ cell.label }}",
        execution_timeout=timedelta(seconds=settings.step_timeout_s),
    )
    def run(cell: dict[str, str]) -> dict[str, object]:
        from ai_visibility.reprocess import reextract

        return fail_fast(lambda: reextract(app_db(), cell["cell_key"], step))

    return lambda cell: run(cell=cell)
