"""The app database and AI endpoints, resolved from Airflow connections when a task runs."""

from __future__ import annotations

from airflow.sdk import Connection

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.db import Database
from ai_visibility.db.urls import database_url
from ai_visibility.settings import Settings


def app_db() -> Database:
    c = Connection.get(Settings.from_env().db_conn_id)
    return Database(database_url(c.conn_id, c.conn_type, c.host, c.login, c.password, c.port, c.schema))


def endpoint(conn_id: str) -> Endpoint:
    c = Connection.get(conn_id)
    return Endpoint.from_connection(conn_id, c.host, c.password, c.extra_dejson)
