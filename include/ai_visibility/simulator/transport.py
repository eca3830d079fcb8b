"""Serve the simulator inside the process: the real `openai` client, no socket."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

from ai_visibility.simulator.handler import DropConnection, Simulator


class SimulatorTransport(httpx2.BaseTransport):
    def __init__(self, config: Mapping[str, Any]) -> None:
        self.simulator = Simulator(config)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            headers = {name.lower(): value for name, value in request.headers.items()}
            reply = self.simulator.handle(request.method, request.url.path, request.read(), headers)
        except DropConnection:
            raise httpx2.RemoteProtocolError("simulator dropped the connection", request=request) from None
        return httpx2.Response(reply.status, headers=reply.headers, content=reply.body, request=request)
