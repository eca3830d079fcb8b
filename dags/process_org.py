"""
### process_org

Asks every question × AI model × location of one org, stores each answer, extracts mentions,
claims and citations, computes competitive metrics and analytics, and pushes the results.

Trigger with conf `{"org_id": "brightpath"}`; the optional lists `questions`, `models` and
`locations` (keys) narrow the run. Each cell is one mapped instance of `process_cell`, labelled
"question · model · location": clear a failed one (with downstream) to rerun just that cell.
The run ends failed when any cell failed, after analytics and push have included the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from airflow.sdk import Connection, Param, TriggerRule, conf, dag, task, task_group
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility import analytics, keys, latest_flags, push
from ai_visibility import load_org as org_loading
from ai_visibility import queue as queues
from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.db import Database
from ai_visibility.db.urls import database_url
from ai_visibility.errors import InputError
from ai_visibility.run_conf import parse_run_conf
from ai_visibility.settings import Settings
from ai_visibility.steps.registry import run_step

T = TypeVar("T")
# Read at parse time only for task attributes (env vars, no I/O); tasks re-read settings when they run.
SETTINGS = Settings.from_env()
STEP_LIMIT = timedelta(seconds=SETTINGS.step_timeout_s)


def app_db() -> Database:
    c = Connection.get(Settings.from_env().db_conn_id)
    return Database(database_url(c.conn_id, c.conn_type, c.host, c.login, c.password, c.port, c.schema))


def endpoint(conn_id: str) -> Endpoint:
    c = Connection.get(conn_id)
    return Endpoint.from_connection(conn_id, c.host, c.password, c.extra_dejson)


def fail_fast(call: Callable[[], T]) -> T:
    """Bad input will not heal on retry: fail the task at once with the message that names the fix."""
    try:
        return call()
    except InputError as exc:
        raise AirflowFailException(str(exc)) from exc


@task(retries=0)
def load_org(params: dict[str, Any] | None = None) -> dict[str, object]:
    run_conf = fail_fast(lambda: parse_run_conf(params or {}))
    return fail_fast(lambda: org_loading.load_org(app_db(), run_conf.org_id))


@task(retries=0)
def build_queue(
    org: dict[str, object], params: dict[str, Any] | None = None, run_id: str | None = None
) -> list[dict[str, str]]:
    max_cells = conf.getint("core", "max_map_length")
    return fail_fast(lambda: queues.build_queue(app_db(), parse_run_conf(params or {}), str(run_id), max_cells))


def cell_task(step: str, **options: Any) -> Any:
    @task(task_id=step, map_index_template="{{ cell.label }}", execution_timeout=STEP_LIMIT, **options)
    def run(cell: dict[str, str]) -> dict[str, object]:
        timeout = Settings.from_env().ai_deadline_s
        return fail_fast(lambda: run_step(step, app_db(), cell["cell"], endpoint, timeout))

    return run


call_ai = cell_task("call_ai", max_active_tis_per_dag=SETTINGS.ai_concurrency)
record_question_run = cell_task("record_question_run")
extract_mentions = cell_task("extract_mentions")
extract_claims = cell_task("extract_claims")
extract_citations = cell_task("extract_citations")
calculate_metrics = cell_task("calculate_metrics")


@task_group
def process_cell(cell: dict[str, str]) -> Any:
    recorded = call_ai(cell=cell) >> record_question_run(cell=cell)
    metrics = calculate_metrics(cell=cell)
    recorded >> [extract_mentions(cell=cell), extract_claims(cell=cell), extract_citations(cell=cell)] >> metrics
    return metrics


@task(trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
def update_latest_flags(org: dict[str, str], run_id: str | None = None) -> str:
    queue_id = keys.queue_id(org["org_id"], str(run_id))
    print(latest_flags.update_latest_flags(app_db(), queue_id))
    return queue_id


@task
def generate_analytics(queue_id: str) -> str:
    print(analytics.generate_analytics(app_db(), queue_id))
    return queue_id


@task
def push_analytics(queue_id: str) -> str:
    print(push.push_analytics(app_db(), queue_id, Settings.from_env().push_to))
    return queue_id


@task(retries=0)
def check_cells(queue_id: str) -> str:
    try:
        return str(queues.require_all_completed(app_db(), queue_id))
    except queues.CellsFailed as exc:
        raise AirflowFailException(str(exc)) from exc


def narrowing(title: str, what: str) -> Param:
    return Param(
        None,
        type=["null", "array"],
        items={"type": "string"},
        title=title,
        description_md=f"{what}, as a JSON list of keys. Leave empty to use every one the org has.",
    )


@dag(
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    doc_md=__doc__,
    tags=["ai-visibility"],
    default_args={
        "retries": SETTINGS.step_retries,
        "retry_delay": timedelta(seconds=5),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=2),
    },
    params={
        "org_id": Param(
            type="string",
            minLength=1,
            title="Organization",
            description_md="Id of the org to process, as stored in the app database (e.g. `brightpath`).",
        ),
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
    },
)
def process_org() -> None:
    org = load_org()
    cells = process_cell.expand(cell=build_queue(org))
    flags = update_latest_flags(org)
    cells >> flags
    check_cells(push_analytics(generate_analytics(flags)))


process_org()
