"""Apply `airflow_settings.yaml` (the Astro CLI's format) to an Airflow metadata database.

For users who run plain Airflow: connections, pools and variables from the one file the Astro CLI
reads too. Re-applying updates what changed; nothing else in the database is touched. Pools may
carry `pool_include_deferred`, which the Astro format lacks (deferred tasks then keep their slot).
Relative `conn_host` paths of sqlite connections are resolved against the settings file's folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml


def read_settings(path: Path) -> dict[str, list[dict[str, Any]]]:
    data = (yaml.safe_load(path.read_text()) or {}).get("airflow") or {}
    return {key: list(data.get(key) or []) for key in ("connections", "pools", "variables")}


def connection_fields(entry: dict[str, Any], base: Path) -> dict[str, Any]:
    host = entry.get("conn_host")
    if entry.get("conn_type") == "sqlite" and host and not Path(host).is_absolute():
        host = str((base / host).resolve())
    extra = entry.get("conn_extra")
    return {
        "conn_id": entry["conn_id"],
        "conn_type": entry["conn_type"],
        "host": host,
        "schema": entry.get("conn_schema"),
        "login": entry.get("conn_login"),
        "password": entry.get("conn_password"),
        "port": entry.get("conn_port"),
        "extra": json.dumps(extra) if isinstance(extra, dict) else extra,
    }


def apply(path: Path) -> dict[str, int]:
    from airflow.models import Connection, Pool, Variable
    from airflow.utils.session import create_session

    settings = read_settings(path)
    with create_session() as session:
        for entry in settings["connections"]:
            fields = connection_fields(entry, path.parent)
            existing = session.query(Connection).filter(Connection.conn_id == fields["conn_id"]).one_or_none()
            if existing is None:
                session.add(Connection(**fields))
            else:
                for key, value in fields.items():
                    setattr(existing, key, value)
        for entry in settings["pools"]:
            Pool.create_or_update_pool(
                entry["pool_name"],
                int(entry["pool_slot"]),
                entry.get("pool_description", ""),
                include_deferred=bool(entry.get("pool_include_deferred", False)),
                session=session,
            )
    for entry in settings["variables"]:
        Variable.set(entry["variable_name"], entry["variable_value"])
    return {key: len(value) for key, value in settings.items()}


if __name__ == "__main__":
    counts = apply(Path(sys.argv[1]))
    print(f"applied {sys.argv[1]}: " + ", ".join(f"{n} {key}" for key, n in counts.items()))
