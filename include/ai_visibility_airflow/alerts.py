"""The DAG's alerts through the connection `ai_visibility_alerts`: the failure callback (a run
failed), and the change alerts sent after analytics (visibility or share of voice fell beyond noise,
a competitor passed the org).

The webhook URL is a secret: it lives in the connection's host (in JSON form). Without that
connection, no alert is sent (change alerts are still computed and logged).
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.sdk import Connection, conf, get_current_context
from airflow.sdk.exceptions import AirflowNotFoundException

ALERT_CONN_ID = "ai_visibility_alerts"
log = logging.getLogger(__name__)


def _webhook() -> str | None:
    try:
        return str(Connection.get(ALERT_CONN_ID).host)
    except AirflowNotFoundException:
        log.info("no %s connection: no alert sent", ALERT_CONN_ID)
        return None


def _grid_url(run: Any) -> str:
    base = conf.get("api", "base_url", fallback="http://localhost:8080").rstrip("/")
    return f"{base}/dags/{run.dag_id}/runs/{run.run_id}"


def alert_on_changes(queue_id: str) -> dict[str, Any]:
    """In a task: send the queue's change alerts, if any, to the alert webhook."""
    from ai_visibility.alerts import send_alert
    from ai_visibility.change_alerts import notify_changes
    from ai_visibility_airflow.connections import app_db

    webhook = _webhook()
    send = (lambda payload, key: send_alert(webhook, payload, key)) if webhook else None
    return notify_changes(app_db(), queue_id, _grid_url(get_current_context()["dag_run"]), send)


def alert_on_failure(context: Any) -> None:
    # Imported when a run fails, not by every task process that parses the DAG file.
    from ai_visibility import reports
    from ai_visibility.alerts import failed_run_alert, send_alert
    from ai_visibility_airflow.connections import app_db

    webhook = _webhook()
    if webhook is None:
        return
    run = context["dag_run"]
    org_id = str((run.conf or {}).get("org_id", "?"))
    grid = _grid_url(run)
    try:
        progress = reports.run_progress(app_db(), run.run_id)
    except reports.NoQueue:
        progress = None
    send_alert(webhook, failed_run_alert(org_id, run.run_id, grid, str(context.get("reason")), progress))
