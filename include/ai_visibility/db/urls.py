"""SQLAlchemy URLs for the app database, from connection fields (Airflow's or the environment's)."""

from __future__ import annotations

import json
import os

from sqlalchemy.engine import URL

from ai_visibility.errors import InputError


def database_url(
    conn_id: str,
    conn_type: str | None,
    host: str | None,
    login: str | None = None,
    password: str | None = None,
    port: int | None = None,
    schema: str | None = None,
) -> str:
    """`postgres` -> postgresql+psycopg (the driver this package ships); `sqlite` -> host is the file path."""
    kind = (conn_type or "").lower()
    if kind in ("postgres", "postgresql"):
        return URL.create(
            "postgresql+psycopg",
            username=login or None,
            password=password or None,
            host=host or "localhost",
            port=port or None,
            database=schema or None,
        ).render_as_string(hide_password=False)
    if kind == "sqlite":
        if not host:
            raise InputError(f"connection {conn_id!r}: a sqlite connection needs the database file path as its host")
        return f"sqlite:///{host}"
    raise InputError(
        f"connection {conn_id!r} has type {conn_type!r}: the app database must be a postgres or sqlite connection"
    )


def database_url_from_env(conn_id: str) -> str:
    """`AI_VISIBILITY_DATABASE_URL`, else the `AIRFLOW_CONN_<ID>` JSON, without importing Airflow."""
    if url := os.environ.get("AI_VISIBILITY_DATABASE_URL"):
        return url
    name = "AIRFLOW_CONN_" + conn_id.upper()
    raw = os.environ.get(name)
    if not raw:
        raise InputError(f"no app database configured: set AI_VISIBILITY_DATABASE_URL or {name} (JSON form)")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise InputError(f'{name} must be the connection\'s JSON form, e.g. {{"conn_type": "postgres", ...}}') from None
    return database_url(
        conn_id,
        data.get("conn_type"),
        data.get("host"),
        data.get("login"),
        data.get("password"),
        data.get("port"),
        data.get("schema"),
    )
