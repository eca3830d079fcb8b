"""The app database and AI endpoints, resolved from Airflow connections when a task runs."""

from __future__ import annotations

from airflow.sdk import Connection

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.db import Database
from ai_visibility.db.urls import connection_fields, database_url
from ai_visibility.settings import Settings


def database_for(connection: object, conn_id: str) -> Database:
    """The app database an Airflow connection (Task SDK's or the api-server's model) points at."""
    return Database(database_url(conn_id, connection_fields(connection)))


def app_db() -> Database:
    conn_id = Settings.from_env().db_conn_id
    return database_for(Connection.get(conn_id), conn_id)


def endpoint(conn_id: str) -> Endpoint:
    c = Connection.get(conn_id)
    return Endpoint.from_connection(conn_id, c.host, c.password, c.extra_dejson)
