"""
### schedule_orgs

Runs on a cron (`AI_VISIBILITY_SCHEDULE_CRON`, default 06:00 UTC daily) and triggers `process_org`
for every org whose cadence is due: daily, or weekly on its weekday. Each org runs at most once per
period: the triggered run id is fixed per org and day (or ISO week), and an existing one is skipped.
A task that fails is retried for about a quarter of an hour; a run that fails posts the failure
alert (connection `ai_visibility_alerts`), as the org DAGs do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import CronTriggerTimetable, dag, task

from ai_visibility.settings import Settings
from ai_visibility_airflow.alerts import alert_on_failure

# Read at parse time only for the timetable (an env var, no I/O).
CRON = Settings.from_env().schedule_cron
# No start_date: with one, Airflow (catchup=False) starts a fresh deployment at once with a run for the
# latest cron time already past. Without, the first run waits for the next cron time, unless the
# deployment comes within this grace after one: a DAG without runs has its next run recomputed at
# every parse, and a parse just after the cron time must not move the due run a whole period on.
FIRST_RUN_GRACE = timedelta(minutes=5)
# A failed run is a day without org runs: retry through an outage of the app database of a quarter of
# an hour (find_due_orgs waits 45 s on it each try; 1–2, 2–4, 4–8, 8–10 min between tries: Airflow
# adds a jitter of up to the doubled delay again, capped by max_retry_delay), then fail and alert.
# Retrying the triggers is safe: a run that already exists is skipped.
RETRY_ARGS = {
    "retries": 4,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
}


@task
def find_due_orgs(dag_run: Any = None) -> list[dict[str, object]]:
    from ai_visibility.scheduling import due_orgs
    from ai_visibility_airflow.connections import app_db

    return due_orgs(app_db(), dag_run.run_after.date())


@dag(
    schedule=CronTriggerTimetable(CRON, timezone="UTC", run_immediately=FIRST_RUN_GRACE),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ai-visibility"],
    on_failure_callback=alert_on_failure,
    default_args=RETRY_ARGS,
)
def schedule_orgs() -> None:
    TriggerDagRunOperator.partial(
        task_id="trigger_process_org",
        trigger_dag_id="process_org",
        skip_when_already_exists=True,
        wait_for_completion=False,
        map_index_template="{{ task.conf['org_id'] }}",
    ).expand_kwargs(find_due_orgs())


schedule_orgs()
