"""The app database's SQLAlchemy URL, from a connection's fields: an Airflow connection's attributes
or its `AIRFLOW_CONN_<ID>` JSON form, so the DAG, the plugin and the CLI build it the same way."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import URL

from ai_visibility.env_connections import env_connection, variable_name
from ai_visibility.errors import InputError

CONNECTION_FIELDS = ("conn_type", "host", "login", "password", "port", "schema")


def database_url(conn_id: str, fields: Mapping[str, Any]) -> str:
    """`postgres` -> postgresql+psycopg (the driver this package ships); `sqlite` -> host is the file path."""
    kind = str(fields.get("conn_type") or "").lower()
    host = fields.get("host")
    if kind in ("postgres", "postgresql"):
        return URL.create(
            "postgresql+psycopg",
            username=fields.get("login") or None,
            password=fields.get("password") or None,
            host=host or "localhost",
            port=fields.get("port") or None,
            database=fields.get("schema") or None,
        ).render_as_string(hide_password=False)
    if kind == "sqlite":
        if not host:
            raise InputError(f"connection {conn_id!r}: a sqlite connection needs the database file path as its host")
        return f"sqlite:///{host}"
    raise InputError(
        f"connection {conn_id!r} has type {fields.get('conn_type')!r}: the app database must be a postgres or "
        "sqlite connection"
    )


def connection_fields(connection: object) -> dict[str, Any]:
    """The fields `database_url` reads, from any object shaped like an Airflow connection."""
    return {name: getattr(connection, name, None) for name in CONNECTION_FIELDS}


def database_url_from_env(conn_id: str) -> str:
    """`AI_VISIBILITY_DATABASE_URL`, else the `AIRFLOW_CONN_<ID>` JSON, without importing Airflow."""
    if url := os.environ.get("AI_VISIBILITY_DATABASE_URL"):
        return url
    data = env_connection(conn_id, '"conn_type": "postgres"')
    if data is None:
        raise InputError(
            f"no app database configured: set AI_VISIBILITY_DATABASE_URL or {variable_name(conn_id)} (JSON form); "
            "`make demo`'s is AI_VISIBILITY_DATABASE_URL=sqlite:///.data/ai_visibility.db from the repository's root"
        )
    return database_url(conn_id, data)
