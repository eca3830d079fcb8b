"""
### process_org

Asks every question × AI model × location of one org, stores each answer, extracts mentions,
claims and citations, computes competitive metrics and analytics, and pushes the results.

Trigger with conf `{"org_id": "brightpath"}`; the optional lists `questions`, `models` and
`locations` (keys) narrow the run, and `samples` asks each of them that many times (the org's own
setting by default). Each cell is one mapped instance of `process_cell`, labelled
"question · model · location" (and "· #2" for a cell's second sample): clear a failed one (with
downstream) to rerun just that cell.
With `cells_per_task` above 1 (conf or org file), each instance works on a group of one model's
cells, labelled "cells 1–50 · gpt-4o"; clearing a group reruns only its cells that did not complete.
Each cell's AI call waits in its provider's pool (`ai_openai`, `ai_perplexity`, ...), sized to
that provider's rate limit and shared by every run.
The run ends failed when any cell failed, after analytics and push have included the rest.
Recover by clearing the failed tasks, the failed cells (with or without downstream) or the whole
run: `check_cells` waits for the cells, refreshes latest flags, analytics and push when cells
changed since they ran, and only then gives the run its verdict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow.sdk import TriggerRule, dag, get_current_context, task, task_group

from ai_visibility.settings import Settings
from ai_visibility_airflow import queue_tasks
from ai_visibility_airflow.alerts import alert_on_changes as send_change_alerts
from ai_visibility_airflow.alerts import alert_on_failure
from ai_visibility_airflow.dag_defaults import process_org_params, retry_args
from ai_visibility_airflow.step_tasks import fail_fast, step_task

# Every task process parses this file, so at parse time it imports only Airflow, settings, the
# adapters that wire the tasks with the light definitions they name and, for the params' limits,
# `org_spec`: each task imports what it uses (the database layer, `openai`, extraction) in its body.
# tests/dags/test_parse_time.py (PARSE_BUDGET) holds the file to it.

# Read at parse time only for task attributes (env vars, no I/O); tasks re-read settings when they run.
SETTINGS = Settings.from_env()
QUEUE_ID = "queue_id"  # build_queue's XCom naming the run's queue


@task(retries=0)
def load_org(params: dict[str, Any] | None = None, run_id: str | None = None) -> dict[str, object]:
    from ai_visibility import load_org as org_loading
    from ai_visibility.run_conf import parse_run_conf
    from ai_visibility_airflow.connections import app_db, endpoint

    run_conf = fail_fast(lambda: parse_run_conf(params or {}))
    return fail_fast(lambda: org_loading.load_org(app_db(), run_conf, str(run_id), endpoint))


@task(retries=0)
def build_queue(org: dict[str, object]) -> list[dict[str, Any]]:
    cells = queue_tasks.build_queue(org)
    # The later tasks take the queue from here, not from load_org, so that a queue that was never
    # built leaves them upstream_failed instead of failing on a queue that does not exist.
    get_current_context()["ti"].xcom_push(QUEUE_ID, org["queue_id"])
    return cells


call_ai = step_task("call_ai", SETTINGS, max_active_tis_per_dag=SETTINGS.ai_concurrency)
record_question_run = step_task("record_question_run", SETTINGS)
extract_mentions = step_task("extract_mentions", SETTINGS)
extract_claims = step_task("extract_claims", SETTINGS)
extract_citations = step_task("extract_citations", SETTINGS)
calculate_metrics = step_task("calculate_metrics", SETTINGS)


@task_group
def process_cell(cell: dict[str, Any]) -> Any:
    recorded = call_ai(cell) >> record_question_run(cell)
    metrics = calculate_metrics(cell)
    recorded >> [extract_mentions(cell), extract_claims(cell), extract_citations(cell)] >> metrics
    return metrics


@task(trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
def update_latest_flags(queue_id: str) -> str:
    return queue_tasks.update_latest_flags(queue_id)


@task
def generate_analytics(queue_id: str) -> str:
    return queue_tasks.generate_analytics(queue_id)


@task
def push_analytics(queue_id: str) -> str:
    return queue_tasks.push_analytics(queue_id)


@task
def alert_on_changes(queue_id: str) -> str:
    print(send_change_alerts(queue_id))
    return queue_id


@task(retries=0, trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
def check_cells(queue_id: str) -> str:
    return queue_tasks.check_cells(queue_id)


@dag(
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ai-visibility"],
    on_failure_callback=alert_on_failure,
    # Upstream weights: a step outranks every step before it, so a cell whose answer is in goes on to
    # its extraction and metrics before more AI calls start, and finished cells appear as the run goes.
    default_args={**retry_args(SETTINGS), "weight_rule": "upstream"},
    params=process_org_params(SETTINGS),
)
def process_org() -> None:
    # Typed as the base XComArg, whose subscript (another XCom key of the same task) mypy cannot see.
    queue: Any = build_queue(load_org())
    cells = process_cell.expand(cell=queue)
    flags = update_latest_flags(queue[QUEUE_ID])
    cells >> flags
    # The check waits for the cells too, so a check cleared with them waits for them to rerun.
    analysed = generate_analytics(flags)
    [cells, push_analytics(analysed), alert_on_changes(analysed)] >> check_cells(queue[QUEUE_ID])


process_org()
