"""
### reprocess_org

Re-extracts stored answers with this release's extraction rules: mentions, claims, citations and
metrics of every answered run of the selected queues, then latest flags, analytics and push for
each of those queues. No AI call is made; answers, question runs, the usage ledger and the cells'
statuses stay as they are. Every run's metrics record the extraction version that produced them.

Trigger with conf `{"org_id": "brightpath", "queues": ["q_..."]}`, or select the queues by
creation date (UTC, inclusive) with `{"org_id": "brightpath", "since": "2026-11-01", "until": "2026-11-30"}`.
Each answered run is one mapped instance of `reextract_cell`, labelled "question · model · location";
runs without an answer are skipped and named in `plan_reprocess`'s log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow.sdk import Param, TriggerRule, conf, dag, task, task_group
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.settings import Settings
from ai_visibility_airflow import queue_tasks
from ai_visibility_airflow.alerts import alert_on_failure
from ai_visibility_airflow.dag_defaults import org_param, retry_args
from ai_visibility_airflow.step_tasks import fail_fast, reextraction_task

# Like process_org's, this file imports at parse time only Airflow, settings and the adapters (see
# PARSE_BUDGET in tests/dags/test_parse_time.py); each task imports what it uses.
# Read at parse time only for task attributes (env vars, no I/O); tasks re-read settings when they run.
SETTINGS = Settings.from_env()


@task(retries=0)
def plan_reprocess(params: dict[str, Any] | None = None) -> list[dict[str, str]]:
    from ai_visibility import reprocess as reprocessing
    from ai_visibility.reprocess_conf import parse_reprocess_conf
    from ai_visibility_airflow.connections import app_db

    reprocess_conf = fail_fast(lambda: parse_reprocess_conf(params or {}))
    max_cells = conf.getint("core", "max_map_length")
    return fail_fast(lambda: reprocessing.plan_reprocess(app_db(), reprocess_conf, max_cells))


@task
def affected_queues(cells: list[dict[str, str]]) -> list[str]:
    from ai_visibility import reprocess as reprocessing

    return reprocessing.queues_of(cells)


extract_mentions = reextraction_task("extract_mentions", SETTINGS)
extract_claims = reextraction_task("extract_claims", SETTINGS)
extract_citations = reextraction_task("extract_citations", SETTINGS)
calculate_metrics = reextraction_task("calculate_metrics", SETTINGS)


@task_group
def reextract_cell(cell: dict[str, str]) -> Any:
    metrics = calculate_metrics(cell)
    [extract_mentions(cell), extract_claims(cell), extract_citations(cell)] >> metrics
    return metrics


# The flags step takes the org's lock, so a process_org run never interleaves with this one there.
@task(trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS, map_index_template="{{ queue_id }}")
def update_latest_flags(queue_id: str) -> str:
    return queue_tasks.update_latest_flags(queue_id)


@task(map_index_template="{{ queue_id }}")
def generate_analytics(queue_id: str) -> str:
    return queue_tasks.generate_analytics(queue_id)


@task(map_index_template="{{ queue_id }}")
def push_analytics(queue_id: str) -> str:
    return queue_tasks.push_analytics(queue_id)


# Returns nothing, so that `.expand()` gives the group itself: what runs before or after it links to
# its first and last tasks.
@task_group
def refresh_queue(queue_id: str) -> None:
    update_latest_flags(queue_id=queue_id) >> generate_analytics(queue_id=queue_id) >> push_analytics(queue_id=queue_id)


@task(retries=0)
def check_reextraction(cells: list[dict[str, str]]) -> int:
    from ai_visibility import reprocess as reprocessing
    from ai_visibility_airflow.connections import app_db

    try:
        return reprocessing.require_reextracted(app_db(), cells)
    except reprocessing.ReextractionFailed as exc:
        raise AirflowFailException(str(exc)) from exc


def day(title: str, when: str) -> Param:
    return Param(
        None,
        type=["null", "string"],
        format="date",
        title=title,
        description_md=f"Reprocess the queues created {when} this day (UTC). Not with Queues.",
    )


@dag(
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    # Two reprocess runs over one queue would see each other's cells mid-step when closing it.
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ai-visibility"],
    on_failure_callback=alert_on_failure,
    default_args=retry_args(SETTINGS),
    params={
        "org_id": org_param(SETTINGS, "whose stored answers to re-extract"),
        "queues": Param(
            None,
            type=["null", "array"],
            items={"type": "string"},
            title="Queues",
            description_md="Queue ids to reprocess, as a JSON list. Leave empty to select by date instead.",
        ),
        "since": day("Created since", "on or after"),
        "until": day("Created until", "on or before"),
    },
)
def reprocess_org() -> None:
    planned: Any = plan_reprocess()  # an XComArg: each task that takes it receives the list of cells
    cells = reextract_cell.expand(cell=planned)
    refreshed = refresh_queue.expand(queue_id=affected_queues(planned))
    cells >> refreshed
    refreshed >> check_reextraction(planned)


reprocess_org()
