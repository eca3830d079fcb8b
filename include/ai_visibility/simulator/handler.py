"""The simulator's HTTP behaviour, shared by the in-process transport and the local server.

Behaviour is set by a config mapping (the connection's `extra.simulator`, or server flags):
  latency_ms   delay before answering (default 0)
  fail         one of http_500, http_429, http_401, http_404, empty, malformed, drop
  fail_models  only fail requests for these model ids (default: every model)
  retry_after_s  the Retry-After header sent with http_429 (default 1)
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ai_visibility.simulator import FINGERPRINT
from ai_visibility.simulator.answers import compose

FAILURES = {"http_500", "http_429", "http_401", "http_404", "empty", "malformed", "drop"}


class DropConnection(Exception):
    """The simulator hangs up without answering."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]


def _json(status: int, payload: Any, **headers: str) -> Reply:
    return Reply(status, json.dumps(payload).encode(), {"content-type": "application/json", **headers})


def _error(status: int, message: str, kind: str, **headers: str) -> Reply:
    return _json(status, {"error": {"message": message, "type": kind, "code": None}}, **headers)


def handle(config: Mapping[str, Any], method: str, path: str, body: bytes) -> Reply:
    if method == "GET" and path.rstrip("/").endswith("/models"):
        return _json(200, {"object": "list", "data": [{"id": "simulated", "object": "model", "owned_by": FINGERPRINT}]})
    if method != "POST" or not path.rstrip("/").endswith("/chat/completions"):
        return _error(
            404, f"the simulator serves POST /v1/chat/completions, not {method} {path}", "invalid_request_error"
        )
    try:
        request = json.loads(body or b"{}")
        prompt = "\n".join(str(m.get("content", "")) for m in request["messages"] if m.get("role") == "user")
        model = str(request["model"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return _error(400, "request body must be JSON with 'model' and 'messages'", "invalid_request_error")
    fail = config.get("fail")
    if fail and fail not in FAILURES:
        return _error(500, f"simulator misconfigured: fail must be one of {sorted(FAILURES)}", "server_error")
    if config.get("latency_ms"):
        time.sleep(float(config["latency_ms"]) / 1000)
    if fail and model in config.get("fail_models", [model]):
        return _failure(str(fail), config, model)
    return _json(200, completion(prompt, model, request))


def _failure(fail: str, config: Mapping[str, Any], model: str) -> Reply:
    if fail == "drop":
        raise DropConnection(model)
    if fail == "malformed":
        return Reply(200, b'{"id": "chatcmpl-broken", "choices": [', {"content-type": "application/json"})
    if fail == "empty":
        return _json(200, completion("", model, {}, content=""))
    status = int(fail.removeprefix("http_"))
    headers = {"retry-after": str(config.get("retry_after_s", 1))} if status == 429 else {}
    messages = {
        500: "The server had an error while processing your request (simulated).",
        429: "Rate limit reached for requests (simulated).",
        401: "Incorrect API key provided (simulated).",
        404: f"The model '{model}' does not exist (simulated).",
    }
    kinds = {500: "server_error", 429: "rate_limit_error", 401: "invalid_request_error", 404: "invalid_request_error"}
    return _error(status, messages[status], kinds[status], **headers)


def completion(prompt: str, model: str, request: Mapping[str, Any], content: str | None = None) -> dict[str, Any]:
    """A chat.completion object in the shape the model's provider uses."""
    text, fields = compose(prompt, model) if content is None else (content, {"annotations": []})
    digest = hashlib.sha256(f"{model}\x1f{prompt}".encode()).hexdigest()
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    if fields["annotations"]:
        message["annotations"] = fields["annotations"]
    body: dict[str, Any] = {
        "id": f"chatcmpl-sim-{digest[:24]}",
        "object": "chat.completion",
        "created": 1764374400,
        "model": model,
        "system_fingerprint": FINGERPRINT,
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None, "message": message}],
        "usage": {
            "prompt_tokens": math.ceil(len(prompt) / 4) + 8,
            "completion_tokens": math.ceil(len(text) / 4),
            "total_tokens": math.ceil(len(prompt) / 4) + 8 + math.ceil(len(text) / 4),
        },
    }
    for key in ("citations", "search_results"):
        if key in fields:
            body[key] = fields[key]
    return body
