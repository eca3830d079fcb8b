"""The DAG's failure callback: post a Slack-compatible alert when a process_org run fails.

The webhook URL is a secret: it lives in the Airflow connection `ai_visibility_alerts` (its host,
in JSON form). Without that connection, runs fail without an alert.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.sdk import Connection, conf
from airflow.sdk.exceptions import AirflowNotFoundException

ALERT_CONN_ID = "ai_visibility_alerts"
log = logging.getLogger(__name__)


def alert_on_failure(context: Any) -> None:
    # Imported when a run fails, not by every task process that parses the DAG file.
    from ai_visibility import reports
    from ai_visibility.alerts import failed_run_alert, send_alert
    from ai_visibility_airflow.connections import app_db

    try:
        webhook = Connection.get(ALERT_CONN_ID).host
    except AirflowNotFoundException:
        log.info("no %s connection: no alert sent", ALERT_CONN_ID)
        return
    run = context["dag_run"]
    org_id = str((run.conf or {}).get("org_id", "?"))
    base = conf.get("api", "base_url", fallback="http://localhost:8080").rstrip("/")
    grid = f"{base}/dags/{run.dag_id}/runs/{run.run_id}"
    try:
        progress = reports.run_progress(app_db(), run.run_id)
    except reports.NoQueue:
        progress = None
    send_alert(str(webhook), failed_run_alert(org_id, run.run_id, grid, str(context.get("reason")), progress))
