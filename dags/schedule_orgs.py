"""
### schedule_orgs

Runs on a cron (`AI_VISIBILITY_SCHEDULE_CRON`, default 06:00 UTC daily) and triggers `process_org`
for every org whose cadence is due: daily, or weekly on its weekday. Each org runs at most once per
period: the triggered run id is fixed per org and day (or ISO week), and an existing one is skipped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import CronTriggerTimetable, dag, task

from ai_visibility.settings import Settings

# Read at parse time only for the timetable (an env var, no I/O).
CRON = Settings.from_env().schedule_cron


@task
def find_due_orgs(dag_run: Any = None) -> list[dict[str, object]]:
    from ai_visibility.scheduling import due_orgs
    from ai_visibility_airflow.connections import app_db

    return due_orgs(app_db(), dag_run.run_after.date())


@dag(
    schedule=CronTriggerTimetable(CRON, timezone="UTC"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ai-visibility"],
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
