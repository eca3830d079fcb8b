"""When the scheduler starts schedule_orgs' runs: a fresh deployment waits for its first cron time."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # a Tuesday, after the day's 06:00 run time


@pytest.fixture(scope="module")
def schedule_orgs() -> Any:
    """The DAG as the scheduler holds it (serialized by the dag-processor)."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.serialization.serialized_objects import LazyDeserializedDAG

    bag = DagBag(dag_folder=str(ROOT / "dags" / "schedule_orgs.py"))
    assert bag.import_errors == {}
    return LazyDeserializedDAG.from_dag(bag.dags["schedule_orgs"])


def next_run(dag: Any, monkeypatch: pytest.MonkeyPatch, now: datetime, last_run: datetime | None = None) -> datetime:
    """When the scheduler would start the DAG's next run, asked at `now` (as the dag-processor asks at each parse)."""
    from airflow.sdk.timezone import coerce_datetime
    from airflow.timetables.base import DagRunInfo

    monkeypatch.setattr("airflow.timetables.trigger.utcnow", lambda: coerce_datetime(now))
    last = DagRunInfo.interval(coerce_datetime(last_run), coerce_datetime(last_run)) if last_run else None
    info = dag.next_dagrun_info(last_automated_run_info=last)
    assert info is not None
    return datetime.fromisoformat(info.run_after.isoformat())


def test_a_fresh_deployment_waits_for_the_next_cron_time(schedule_orgs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Not a run for today's 06:00, already past when it was deployed: the user triggers one if they want it now.
    assert next_run(schedule_orgs, monkeypatch, DEPLOYED) == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def test_a_parse_just_after_the_cron_time_keeps_the_first_run_due(
    schedule_orgs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deployed at 05:50, the next run is 06:00; the dag-processor asks again at 06:02, before the
    # scheduler has started it, and the run stays due rather than moving to tomorrow.
    assert next_run(schedule_orgs, monkeypatch, DEPLOYED.replace(hour=5, minute=50)) == DEPLOYED.replace(
        hour=6, minute=0
    )
    assert next_run(schedule_orgs, monkeypatch, DEPLOYED.replace(hour=6, minute=2)) == DEPLOYED.replace(
        hour=6, minute=0
    )


def test_a_scheduler_down_over_the_cron_time_runs_the_missed_period_once(
    schedule_orgs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Last run yesterday at 06:00, scheduler back at 09:30: today's period runs now, the older ones never.
    yesterday = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert next_run(schedule_orgs, monkeypatch, DEPLOYED, last_run=yesterday) == DEPLOYED.replace(hour=6, minute=0)
    two_days_ago = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    assert next_run(schedule_orgs, monkeypatch, DEPLOYED, last_run=two_days_ago) == DEPLOYED.replace(hour=6, minute=0)


def test_a_passing_outage_of_the_app_database_does_not_cost_the_days_runs() -> None:
    # find_due_orgs waits 45 s for the app database, then fails; its retries, backing off, cover an
    # outage of a quarter of an hour before the run fails (and alerts). Retrying the triggers is
    # safe: a run that already exists is skipped.
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(ROOT / "dags" / "schedule_orgs.py")).dags["schedule_orgs"]
    for task in dag.tasks:
        retries: int = task.retries or 0
        assert retries >= 3, task.task_id
        # Each wait as Airflow draws it (jittered per try), over many runs: its least and its most.
        delays = [retry_delays(task, try_number) for try_number in range(1, retries + 1)]
        assert sum((least for least, _ in delays), start=timedelta(0)) >= timedelta(minutes=15), task.task_id
        # The README says how far apart the tries are, as Airflow spaces them.
        spacing = ", ".join(f"{least // MINUTE:g}–{most // MINUTE:g}" for least, most in delays[:-1])
        least, most = delays[-1]
        documented = f"{spacing} and {least // MINUTE:g}–{most // MINUTE:g} minutes apart"
        assert documented in " ".join((ROOT / "README.md").read_text().split()), documented
    trigger: Any = dag.get_task("trigger_process_org")
    assert trigger.partial_kwargs["skip_when_already_exists"]


MINUTE = timedelta(minutes=1)


def retry_delays(task: Any, try_number: int) -> tuple[timedelta, timedelta]:
    """The shortest and longest wait before the retry after failed try `try_number`, as Airflow's
    `TaskInstance.next_retry_datetime` computes it (its jitter hashes the run's logical date)."""
    import logging

    from airflow.models.taskinstance import TaskInstance

    ended = datetime(2026, 12, 1, 6, tzinfo=UTC)
    waits = []
    for day in range(500):
        ti = SimpleNamespace(
            task=task,
            try_number=try_number,
            dag_id=task.dag_id,
            task_id=task.task_id,
            logical_date=ended + timedelta(days=day),
            end_date=ended,
            retry_delay_override=None,
            log=logging.getLogger(),
        )
        waits.append(TaskInstance.next_retry_datetime(ti) - ended)  # type: ignore[arg-type,no-untyped-call]
    # Rounded to the minute the README speaks in (the jitter is whole seconds below the doubled delay).
    return min(waits), timedelta(minutes=math.ceil(max(waits) / MINUTE))
