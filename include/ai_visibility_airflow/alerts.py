"""The DAG's alerts through the connection `ai_visibility_alerts`: the failure callback (a run
failed; once per failure, see `ai_visibility.alerts.Failure`), and the change alerts sent after
analytics (visibility or share of voice fell beyond noise, a competitor passed the org).

The webhook URL is a secret: it lives in the connection's host (in JSON form). Without that
connection, no alert is sent (change alerts are still computed and logged).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from airflow.sdk import Connection, conf, get_current_context
from airflow.sdk.exceptions import AirflowNotFoundException

if TYPE_CHECKING:
    from ai_visibility.alerts import Failure

ALERT_CONN_ID = "ai_visibility_alerts"
SCHEDULE_DAG_ID = "schedule_orgs"  # the DAG whose runs are of no one org
REPROCESS_DAG_ID = "reprocess_org"  # the DAG whose runs have no queue of their own
log = logging.getLogger(__name__)


def _webhook() -> str | None:
    try:
        return str(Connection.get(ALERT_CONN_ID).host)
    except AirflowNotFoundException:
        log.info("no %s connection: no alert sent", ALERT_CONN_ID)
        return None


def _grid_url(dag_id: str, run_id: str) -> str:
    base = conf.get("api", "base_url", fallback="http://localhost:8080").rstrip("/")
    return f"{base}/dags/{dag_id}/runs/{run_id}"


def alert_on_changes(queue_id: str) -> dict[str, Any]:
    """In a task: send the queue's change alerts, if any, to the alert webhook."""
    from ai_visibility.alerts import send_alert
    from ai_visibility.change_alerts import notify_changes
    from ai_visibility_airflow.connections import app_db

    webhook = _webhook()
    send = (lambda payload, key: send_alert(webhook, payload, key)) if webhook else None
    run = get_current_context()["dag_run"]
    return notify_changes(app_db(), queue_id, _grid_url(run.dag_id, run.run_id), send)


def alert_on_failure(context: Any) -> None:
    """The DAG's failure callback. Airflow gives it the task instance whose failure failed the run
    (`ti`) with the task's context (`dag_run`, `params`); when the run failed without one (it timed
    out), only `dag`, `run_id` and `reason`."""
    # Imported when a run fails, not by every task process that parses the DAG file.
    from sqlalchemy.exc import SQLAlchemyError

    from ai_visibility import reports
    from ai_visibility.alerts import (
        database_error,
        failed_reprocess_alert,
        failed_run_alert,
        notify_failure,
        send_alert,
    )
    from ai_visibility.db import Database
    from ai_visibility.db.engine import as_utc
    from ai_visibility.errors import InputError
    from ai_visibility.reprocess import reprocess_progress
    from ai_visibility_airflow.connections import app_db

    webhook = _webhook()
    if webhook is None:
        return
    failure = failure_of(context)
    reprocessing = failure.dag_id == REPROCESS_DAG_ID
    progress = None
    plan_read = True
    db_error = None
    db: Database | None = None
    try:
        # No wait for a server out of reach: the steps waited already, and the alert is wanted now.
        db = app_db(wait_for_server=False)
        if not reprocessing:
            progress = reports.run_progress(db, failure.dag_run_id)
        else:
            # A run that failed without a failed task (it timed out) gives the callback no plan to read.
            plan_read, planned = _result_of(context, "plan_reprocess")
            if planned:
                progress = reprocess_progress(db, planned, as_utc(context["dag_run"].start_date))
    except reports.NoQueue:
        pass
    except (SQLAlchemyError, AirflowNotFoundException, InputError) as exc:
        # The app database down is when this alert matters most: say so, and send it all the same.
        db_error = database_error(exc, db)
        log.warning("app database unreachable for the failure alert: %s", db_error)
        db = None
    org_id = None if failure.dag_id == SCHEDULE_DAG_ID else _org_run(context, progress)
    grid = _grid_url(failure.dag_id, failure.dag_run_id)
    reason = str(context.get("reason"))
    if reprocessing and org_id is not None and db_error is None:
        queue = _refreshed_queue(failure, progress)
        payload = failed_reprocess_alert(
            org_id, failure.dag_run_id, grid, reason, progress, failure.task_id, queue, plan_read
        )
    else:
        payload = failed_run_alert(
            failure.dag_id, org_id, failure.dag_run_id, grid, reason, progress, db_error, _failed_task(failure, context)
        )
    if not notify_failure(db, failure, payload, lambda message, key: send_alert(webhook, message, key)):
        log.info("the alert of this failure (%s) was sent already: not sent again", failure)


def _failed_task(failure: Failure, context: Any) -> str:
    """The failed task as the alert names it; a mapped trigger of schedule_orgs with its map index and
    the org it triggered (`find_due_orgs`'s item at that index), as its grid label names it."""
    if failure.dag_id != SCHEDULE_DAG_ID or failure.map_index < 0:
        return failure.task_id
    named = f"{failure.task_id}[{failure.map_index}]"
    _, due = _result_of(context, "find_due_orgs")
    if isinstance(due, list) and failure.map_index < len(due):
        return f"{named} for org {due[failure.map_index]['conf']['org_id']}"
    return named


def _result_of(context: Any, task_id: str) -> tuple[bool, Any]:
    """Whether the result of an unmapped task of the failed run could be read, and that result, read
    through the task instance that failed the run (the DAG processor serves its XCom reads)."""
    ti = context.get("ti")
    if ti is None:
        return False, None
    try:
        return True, ti.xcom_pull(task_ids=task_id, map_indexes=-1)
    except Exception as exc:  # the alert goes out all the same, saying what it lacks
        # `dag.test()` runs the callback with no supervisor to serve XCom reads.
        log.warning("%s's result could not be read for the failure alert: %r", task_id, exc)
        return False, None


def _refreshed_queue(failure: Failure, progress: dict[str, Any] | None) -> str | None:
    """The queue whose refresh (flags, analytics, push) failed a reprocess run: `refresh_queue` is
    mapped over the plan's queues in plan order, so its map index names the queue."""
    if not progress or not failure.task_id.startswith("refresh_queue.") or failure.map_index < 0:
        return None
    queues: list[str] = progress["queues"]
    return queues[failure.map_index] if failure.map_index < len(queues) else None


def _org_run(context: Any, progress: dict[str, Any] | None) -> str:
    """The org the failed run ran. Its params are its conf over the DAG's defaults, as its tasks read
    them: a run triggered with `conf: {}` ran the default org, which the conf does not name. Airflow
    gives them with the task instance that failed the run; without one (the run timed out, and the
    context holds neither params nor the run), the queue the run built names its org."""
    for source in (context.get("params"), progress):
        if source and source.get("org_id"):
            return str(source["org_id"])
    return "?"  # still an org's run, though which one is lost


def failure_of(context: Any) -> Failure:
    from ai_visibility.alerts import Failure

    ti = context.get("ti")
    run_id = str(context["run_id"])
    if ti is None:
        return Failure(context["dag"].dag_id, run_id, "", -1, 0)
    map_index = -1 if ti.map_index is None else ti.map_index
    return Failure(ti.dag_id, run_id, ti.task_id, map_index, ti.try_number)
