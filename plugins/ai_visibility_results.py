"""Airflow plugin: each process_org run's live progress and report, served by the api-server.

`/ai-visibility/runs/{dag_id}/{run_id}/progress` (JSON), `.../analytics` (the pushed document) and
`.../report` (a page, also shown as the "AI visibility" tab of a DAG run). Access needs the same
login as the Airflow UI (read access to the DAG's runs); a run id that is not a run of that DAG
answers 404, so reading an org's report needs access to `process_org` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
from airflow.api_fastapi.common.db.common import SessionDep
from airflow.api_fastapi.core_api.security import requires_access_dag
from airflow.models.dagrun import DagRun
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from ai_visibility import reports
from ai_visibility.db import Database
from ai_visibility.settings import Settings
from ai_visibility_airflow.connections import database_for

# Only this DAG builds processing queues. Access is checked on the URL's dag_id, and run ids are not
# unique across DAGs (anyone may trigger a DAG with a chosen run id), so a queue is served only
# through the DAG that built it.
QUEUE_DAG_ID = "process_org"

T = TypeVar("T")
app = FastAPI(title="ai-visibility results", dependencies=[Depends(requires_access_dag("GET", DagAccessEntity.RUN))])


def app_db() -> Database:
    from airflow.models.connection import Connection

    conn_id = Settings.from_env().db_conn_id
    # A page answers at once when the database is down; only steps wait for it.
    return database_for(Connection.get_connection_from_secrets(conn_id), conn_id, wait_for_server=False)


def _found(read: Callable[[Database, str], T], session: SessionDep, dag_id: str, run_id: str) -> T:
    run = session.scalar(select(DagRun.id).where(DagRun.dag_id == dag_id, DagRun.run_id == run_id))
    if dag_id != QUEUE_DAG_ID or run is None:
        raise HTTPException(status_code=404, detail=f"DAG {dag_id!r} has no {QUEUE_DAG_ID} run {run_id!r}")
    try:
        return read(app_db(), run_id)
    except reports.NoQueue as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


@app.get("/runs/{dag_id}/{run_id}/progress")
def progress(dag_id: str, run_id: str, session: SessionDep) -> dict[str, Any]:
    return _found(reports.run_progress, session, dag_id, run_id)


@app.get("/runs/{dag_id}/{run_id}/analytics")
def analytics(dag_id: str, run_id: str, session: SessionDep) -> dict[str, Any]:
    return _found(reports.run_analytics, session, dag_id, run_id)


@app.get("/runs/{dag_id}/{run_id}/report", response_class=HTMLResponse)
def report(dag_id: str, run_id: str, session: SessionDep) -> HTMLResponse:
    return HTMLResponse(_found(reports.run_report_html, session, dag_id, run_id))


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
