"""Serve the simulator over real HTTP on a local port (for tests and for pointing tools at it);
`ai-visibility-simulator` runs it from the command line."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ai_visibility.simulator.handler import FAILURES, DropConnection, Simulator


class SimulatorServer(ThreadingHTTPServer):
    simulator: Simulator


def make_server(config: Mapping[str, Any], host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
    """A server bound to host:port (0 picks a free port); call `serve_forever()` or use `serve_in_thread`."""
    simulator = Simulator(config)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                headers = {name.lower(): value for name, value in self.headers.items()}
                reply = simulator.handle(self.command, self.path.split("?")[0], body, headers)
            except DropConnection:
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = SimulatorServer((host, port), Handler)
    server.daemon_threads = True
    server.simulator = simulator
    return server


def serve_in_thread(config: Mapping[str, Any]) -> tuple[SimulatorServer, str]:
    """Start a server on a free local port; returns it and its base URL (`http://127.0.0.1:N/v1`)."""
    server = make_server(config)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ai-visibility-simulator", description="serve SYNTHETIC answers")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--fail", choices=sorted(FAILURES), help="fail every request (or --fail-model's) this way")
    parser.add_argument("--fail-model", action="append", dest="fail_models")
    parser.add_argument("--fail-first", type=int, help="fail only the first N requests, then answer")
    parser.add_argument("--retry-after-s", type=float, help="the Retry-After header sent with http_429")
    args = parser.parse_args(argv)
    options = {
        "latency_ms": args.latency_ms,
        "fail": args.fail,
        "fail_models": args.fail_models,
        "fail_first": args.fail_first,
        "retry_after_s": args.retry_after_s,
    }
    server = make_server({k: v for k, v in options.items() if v is not None}, port=args.port)
    print(f"SYNTHETIC OpenAI-compatible simulator on http://127.0.0.1:{args.port}/v1", flush=True)
    server.serve_forever()
    return 0
