"""The app database, AI endpoints and push webhooks, resolved from Airflow connections when a task runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from airflow.sdk import Connection
from airflow.sdk.exceptions import AirflowNotFoundException
from airflow.sdk.log import mask_secret

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.errors import InputError
from ai_visibility.settings import Settings

# The database layer (SQLAlchemy) and the push transports are imported when a task asks for them,
# not when a DAG file that wires these functions is parsed.
if TYPE_CHECKING:
    from ai_visibility.db import Database
    from ai_visibility.push import Destination, Webhook


def database_for(connection: object, conn_id: str, *, wait_for_server: bool = True) -> Database:
    """The app database an Airflow connection (Task SDK's or the api-server's model) points at."""
    from ai_visibility.db import Database
    from ai_visibility.db.urls import connection_fields, database_url

    return Database(database_url(conn_id, connection_fields(connection)), wait_for_server=wait_for_server)


def app_db(*, wait_for_server: bool = True) -> Database:
    conn_id = Settings.from_env().db_conn_id
    return database_for(Connection.get(conn_id), conn_id, wait_for_server=wait_for_server)


# Where a task's context holds the app database once resolved.
TASK_DB_KEY = "ai_visibility_app_db"


def task_db(context: Any) -> Database:
    """The app database of the running task, resolved once: a step task's wait before its time limit
    and its body share it, rather than each reading the connection (from the API server, or a secrets
    backend) again. The context is the task's own, so nothing outlives the task."""
    db = context.get(TASK_DB_KEY)
    if db is None:
        db = context[TASK_DB_KEY] = app_db()
    return cast("Database", db)


def endpoint(conn_id: str) -> Endpoint:
    try:
        c = Connection.get(conn_id)
    except AirflowNotFoundException:
        raise InputError(
            f"connection {conn_id!r} is not defined: add it (conn_type openai, host = the base URL, "
            "password = the API key)"
        ) from None
    return Endpoint.from_connection(conn_id, c.host, c.password, c.extra_dejson)


WEBHOOK_PREFIX = "webhook:"


def push_destinations(entries: Sequence[str]) -> list[Destination]:
    """`AI_VISIBILITY_PUSH_TO` entries: `webhook:<conn id>` becomes a signed webhook, the rest are places."""
    return [webhook(e.removeprefix(WEBHOOK_PREFIX)) if e.startswith(WEBHOOK_PREFIX) else e for e in entries]


def webhook(conn_id: str) -> Webhook:
    """An `http` connection: host = the receiver's URL (token included), password = the signing secret."""
    from ai_visibility.push import Webhook

    c = Connection.get(conn_id)
    url = c.host or ""
    # Airflow masks the password by itself; the URL carries the receiver's token too.
    mask_secret(url)
    return Webhook(WEBHOOK_PREFIX + conn_id, url, c.password or "")
