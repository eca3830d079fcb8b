"""Where a model is reached (base URL, key, transport), resolved from a connection, and the one
factory that builds an `openai` client for it.

The transport is chosen here, from the connection: real HTTP, or a transport another package
registers under the `ai_visibility.transports` entry point group (the local simulator registers
`simulator`; a connection whose extra has a `simulator` object uses it). No module of the AI layer
imports a transport's implementation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ai_visibility.env_connections import env_connection, variable_name
from ai_visibility.errors import InputError

TRANSPORTS = "ai_visibility.transports"
# The `openai` client needs some key; a connection without a password gets this one.
NO_KEY = "not-needed"

if TYPE_CHECKING:
    import ssl

    import openai


@dataclass(frozen=True)
class Endpoint:
    conn_id: str
    base_url: str
    api_key: str = field(repr=False)
    client_kwargs: Mapping[str, Any] = field(default_factory=dict)
    transport: str = "http"
    transport_options: Mapping[str, Any] = field(default_factory=dict)

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
        if simulator is None:
            return cls(conn_id, base_url, password or NO_KEY, dict(kwargs))
        return cls(conn_id, base_url, password or NO_KEY, dict(kwargs), "simulator", dict(simulator))

    def client(self, timeout_s: float) -> openai.OpenAI:
        """An `openai` client for this endpoint; the caller retries, so the SDK does not."""
        # Imported here, not at module level: a step that makes no AI call (and every parse of the DAG
        # file) would otherwise pay for the SDK.
        import httpx2
        import openai

        http_client = None
        if self.transport != "http":
            found = entry_points(group=TRANSPORTS, name=self.transport)
            if not found:
                raise InputError(
                    f"connection {self.conn_id!r} asks for the {self.transport!r} transport, which no installed "
                    f"package provides: install the project (it registers it) or remove extra.{self.transport}"
                )
            make_transport = next(iter(found)).load()
            http_client = httpx2.Client(transport=make_transport(self.transport_options), timeout=timeout_s)
        else:
            # The SDK's own client, but with the process's one TLS context: building one reads the CA
            # bundle (~40 ms of CPU), which a group of cells would otherwise pay for every call.
            http_client = openai.DefaultHttpxClient(
                base_url=self.base_url,
                timeout=timeout_s,
                verify=_tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")),
            )
        return openai.OpenAI(
            api_key=self.api_key,
            base_url=self.base_url,
            timeout=timeout_s,
            max_retries=0,
            http_client=http_client,
            **self.client_kwargs,
        )

    @property
    def has_key(self) -> bool:
        return self.api_key.strip() not in ("", NO_KEY)


EndpointResolver = Callable[[str], Endpoint]


@cache
def _tls_context(_cert_file: str | None, _cert_dir: str | None) -> ssl.SSLContext:
    """The context the HTTP client would build by default (it reads `SSL_CERT_FILE` and
    `SSL_CERT_DIR`, hence the key); one context is safe to share between clients and threads."""
    import httpx2

    return httpx2.create_ssl_context()


def endpoint_from_env(conn_id: str) -> Endpoint:
    """Resolve `AIRFLOW_CONN_<ID>` (JSON form) without Airflow: for the CLI and step containers."""
    data = env_connection(conn_id, '"conn_type": "openai", "host": "https://..."')
    if data is None:
        raise InputError(f"connection {conn_id!r} is not defined: set {variable_name(conn_id)} to its JSON form")
    return Endpoint.from_connection(conn_id, data.get("host"), data.get("password"), data.get("extra") or {})
