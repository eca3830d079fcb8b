"""Airflow connections given as `AIRFLOW_CONN_<ID>` JSON, read without Airflow: for the CLI and the
step containers, which get the same connections as the workers but run no Airflow."""

from __future__ import annotations

import json
import os
from typing import Any

from ai_visibility.errors import InputError


def variable_name(conn_id: str) -> str:
    return "AIRFLOW_CONN_" + conn_id.upper()


def env_connection(conn_id: str, example: str) -> dict[str, Any] | None:
    """The connection's fields (extra decoded), or None when the variable is not set.

    `example` completes the error for a value that is not JSON, e.g. `"conn_type": "postgres"`.
    """
    name = variable_name(conn_id)
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        if isinstance(data.get("extra"), str):
            data["extra"] = json.loads(data["extra"])
    except (json.JSONDecodeError, AttributeError):
        raise InputError(f"{name} must be the connection's JSON form, e.g. {{{example}, ...}}") from None
    return dict(data)
