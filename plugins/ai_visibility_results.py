"""Airflow plugin: each process_org run's live progress and report, served by the api-server.

`/ai-visibility/runs/{dag_id}/{run_id}/progress` (JSON), `.../analytics` (the pushed document) and
`.../report` (a page, also shown as the "AI visibility" tab of a DAG run). Access needs the same
login as the Airflow UI (read access to the DAG's runs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
from airflow.api_fastapi.core_api.security import requires_access_dag
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import HTMLResponse

from ai_visibility import reports
from ai_visibility.db import Database
from ai_visibility.settings import Settings
from ai_visibility_airflow.connections import database_for

T = TypeVar("T")
app = FastAPI(title="ai-visibility results", dependencies=[Depends(requires_access_dag("GET", DagAccessEntity.RUN))])


def app_db() -> Database:
    from airflow.models.connection import Connection

    conn_id = Settings.from_env().db_conn_id
    return database_for(Connection.get_connection_from_secrets(conn_id), conn_id)


def _found(read: Callable[[Database, str], T], run_id: str) -> T:
    try:
        return read(app_db(), run_id)
    except reports.NoQueue as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


@app.get("/runs/{dag_id}/{run_id}/progress")
def progress(dag_id: str, run_id: str) -> dict[str, Any]:
    return _found(reports.run_progress, run_id)


@app.get("/runs/{dag_id}/{run_id}/analytics")
def analytics(dag_id: str, run_id: str) -> dict[str, Any]:
    return _found(reports.run_analytics, run_id)


@app.get("/runs/{dag_id}/{run_id}/report", response_class=HTMLResponse)
def report(dag_id: str, run_id: str) -> HTMLResponse:
    return HTMLResponse(_found(reports.run_report_html, run_id))


class AiVisibilityPlugin(AirflowPlugin):
    name = "ai_visibility"
    fastapi_apps = [{"app": app, "url_prefix": "/ai-visibility", "name": "ai-visibility results"}]
    external_views = [
        {
            "name": "AI visibility",
            "href": "ai-visibility/runs/{DAG_ID}/{RUN_ID}/report",
            "destination": "dag_run",
            "url_route": "ai-visibility-report",
        }
    ]
