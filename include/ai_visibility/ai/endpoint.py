"""Where a model is reached: base URL and key, resolved from an Airflow connection by the caller."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ai_visibility.errors import InputError


@dataclass(frozen=True)
class Endpoint:
    conn_id: str
    base_url: str
    api_key: str = field(repr=False)
    simulator: Mapping[str, Any] | None = None
    client_kwargs: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_connection(
        cls, conn_id: str, host: str | None, password: str | None, extra: Mapping[str, Any]
    ) -> Endpoint:
        """Build from an `openai`-type connection: host = base URL, password = key."""
        base_url = (host or "").strip()
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise InputError(
                f"connection {conn_id!r}: host must be the endpoint's base URL with its scheme, "
                f"e.g. https://api.openai.com/v1 (got {base_url!r}); define the connection in JSON form"
            )
        simulator = extra.get("simulator")
        if simulator is not None and not isinstance(simulator, Mapping):
            raise InputError(f'connection {conn_id!r}: extra.simulator must be an object, e.g. {{"latency_ms": 0}}')
        kwargs = extra.get("openai_client_kwargs") or {}
        return cls(conn_id, base_url, password or "not-needed", simulator, dict(kwargs))


EndpointResolver = Callable[[str], Endpoint]


def endpoint_from_env(conn_id: str) -> Endpoint:
    """Resolve `AIRFLOW_CONN_<ID>` (JSON form) without Airflow: for the CLI and step containers."""
    name = "AIRFLOW_CONN_" + conn_id.upper()
    raw = os.environ.get(name)
    if not raw:
        raise InputError(f"connection {conn_id!r} is not defined: set {name} to its JSON form")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise InputError(
            f'{name} must be the connection\'s JSON form ({{"conn_type": "openai", "host": ...}})'
        ) from None
    extra = data.get("extra") or {}
    if isinstance(extra, str):
        extra = json.loads(extra)
    return Endpoint.from_connection(conn_id, data.get("host"), data.get("password"), extra)
