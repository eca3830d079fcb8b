"""The micro-steps of one cell as tasks of the mapped group: in the worker, or on ECS Fargate.

Both kinds run the same step function (`ai_visibility.steps.registry.run_step`), keep the same
grid label, time limit, retries and the AI-call concurrency limit, and pass nothing but the cell key.
In the worker, a mapped item may also be a group of cells (`cells_per_task` above 1): the task runs
its step over the group's cells (`ai_visibility.steps.groups`).
`reprocess_org`'s extraction steps run the same functions offline, in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from airflow.sdk import get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.errors import FAIL_FAST
from ai_visibility.settings import Settings
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.registry import run_step
from ai_visibility_airflow.connections import app_db, endpoint, task_db

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

    @task(
        task_id=step,
        map_index_template="{{ cell.label }}",
        execution_timeout=limit,
        pre_execute=_before_step(step),
        **options,
    )
    def run(cell: dict[str, Any]) -> dict[str, object]:
        now = Settings.from_env()
        context = StepContext(
            endpoint, now.ai_deadline_s, now.extraction, now.breaker, now.step_timeout_s, cleared_at()
        )
        if "cells" in cell:
            return run_group(step, cell, context)
        return fail_fast(lambda: run_step(step, task_db(get_current_context()), cell["cell_key"], context))

    return lambda cell: run(cell=cell)


def cleared_at() -> datetime | None:
    """When this try started, if a user cleared the task: clearing sets `max_tries` to the last try's
    number plus the task's retries, so a cleared try, like a first one, has all its retries ahead of
    it, while an automatic retry has used some."""
    ti = get_current_context()["ti"]
    first_of_its_series = ti.max_tries - ti.try_number == (ti.task.retries or 0) - 1
    return ti.start_date if ti.try_number > 1 and first_of_its_series else None


class CellsFailed(RuntimeError):
    """Cells of a group failed at this step; a retry redoes only those."""


def run_group(step: str, group: dict[str, Any], context: StepContext) -> dict[str, object]:
    """Run the step over a group's cells, then give the task the state its cells call for.

    While retries remain, failed cells fail the task, and the retry redoes only them. On the last
    try the step hands the cells that succeeded on to the next step (a failed task would stop the
    group's other cells), unless none did; the group's last step fails when any of its cells did not
    complete, naming them, so the grid shows the group as failed.
    """
    from ai_visibility.steps import groups  # the database layer: imported by a task, never at parse

    airflow_context = get_current_context()
    db, cells = task_db(airflow_context), list(group["cells"])
    calls = _calls_at_once(step, airflow_context)
    outcome = fail_fast(lambda: groups.run_group(db, step, cells, context, calls))
    print(outcome)
    ti = airflow_context["ti"]
    retries_left = ti.try_number <= ti.max_tries
    if outcome.failed and outcome.retryable and retries_left:
        raise CellsFailed(f"{outcome}; retrying those cells")
    if step == groups.LAST_STEP and (lines := groups.unfinished(db, cells)):
        raise AirflowFailException(
            f"{len(lines)} of {len(cells)} cells of {group['label']} did not complete (the others did):\n  - "
            + "\n  - ".join(lines)
            + "\nOnce the cause is fixed, clear this group's call_ai with its downstream tasks: only these cells rerun."
        )
    if outcome.failed and not outcome.done:
        raise AirflowFailException(str(outcome))
    return outcome.summary


def _before_step(step: str) -> Callable[[Any], None]:
    """Before the step runs, outside its time limit: wait for the app database if it cannot be reached
    (for a bounded time, `ai_visibility.db.engine.CONNECT_RETRY_DELAYS_S`), so a retry during an
    outage of the database waits for it rather than spending its limit and failing again; and give a
    group's step the step's limit for each round of cells (a single cell keeps the step's own limit)."""

    def prepare(context: Any) -> None:
        from ai_visibility.steps import groups

        task_db(context).wait_until_reachable()
        task = context["task"]
        cell = task.op_kwargs.get("cell")
        if isinstance(cell, dict) and "cells" in cell:
            calls = _calls_at_once(step, context)
            seconds = groups.time_limit_s(step, len(cell["cells"]), calls, task.execution_timeout.total_seconds())
            # Safe to set: the task here is this try's own copy of the DAG's operator (Airflow's
            # `prepare_for_execution`), even when mapped instances share a process under dag.test.
            task.execution_timeout = timedelta(seconds=seconds)

    return prepare


def _calls_at_once(step: str, context: Any) -> int:
    """A group's AI calls at once: the slots its instance holds in the provider's pool (the policy gave
    it up to the calls `build_queue` asked for, fewer when the pool is smaller), so that the pool's
    limit holds; the other steps make no AI call and run their cells one after another."""
    from ai_visibility.steps import groups

    if step != groups.FIRST_STEP:
        return 1
    from ai_visibility_airflow.provider_pools import held_slots

    return held_slots(context)


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
