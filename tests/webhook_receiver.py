"""A webhook receiver on 127.0.0.1 that checks signatures the way the README tells receivers to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ai_visibility.push import Webhook

# A recognisable token, as receivers put them in webhook URLs (path and query).
TOKEN = "tok_LEAKCHECK_7f3a9c21e5"
SECRET = "whsec_shared_between_us_and_the_receiver"


def verify(secret: str, headers: dict[str, str], body: bytes, now: float) -> bool:
    """What a receiver does (the README's recipe): HMAC over `<timestamp>.<body>`, fresh timestamp."""
    timestamp = headers["x-ai-visibility-timestamp"]
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(now - int(timestamp)) <= 300
    return fresh and hmac.compare_digest(expected, headers["x-ai-visibility-signature"])


@dataclass
class Receiver:
    base: str
    received: list[dict[str, Any]] = field(default_factory=list)

    def hook(self, path: str = "hooks") -> Webhook:
        return Webhook(f"webhook:{path}", f"{self.base}/{path}/{TOKEN}?token={TOKEN}", SECRET)


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    """Answers 500 under /down/, 202 elsewhere; checks each signature as it arrives."""
    state = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.received.append(
                {
                    "headers": headers,
                    "body": json.loads(body),
                    "raw": body,
                    "path": self.path,
                    # Alerts are posted unsigned (Slack's incoming webhooks take no signature).
                    "verified": verify(SECRET, headers, body, time.time())
                    if "x-ai-visibility-signature" in headers
                    else None,
                }
            )
            self.send_response(500 if self.path.startswith("/down/") else 202)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
