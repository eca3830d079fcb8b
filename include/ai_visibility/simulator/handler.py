"""The simulator's HTTP behaviour, shared by the in-process transport and the local server.

It serves `POST /v1/chat/completions` and `POST /v1/responses`. Behaviour is set by a config mapping
(the connection's `extra.simulator`, or the server's flags):
  latency_ms     delay before answering (default 0)
  fail           http_500, http_429, http_401, http_404, empty, malformed (a 200 with cut-off JSON),
                 html (a 200 with a gateway's HTML page), drop, or for extraction requests truncated
                 (finish_reason=length) and bad_json
  fail_models    only fail requests for these model ids (default: every model)
  fail_first     only fail the first N requests, then answer (default: every request)
  retry_after_s  the Retry-After header sent with http_429 (default 1)
A request's `X-AI-Visibility-Sample` header (the cell's sample, sent when a cell is asked more than
once) draws another answer for each sample.
Like the real engines, reasoning models (gpt-5, o-series) reject `temperature` with HTTP 400.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ai_visibility.ai.capabilities import accepts_temperature
from ai_visibility.ai.location import COUNTRY_NAMES
from ai_visibility.simulator import FINGERPRINT
from ai_visibility.simulator.answers import compose, seed
from ai_visibility.simulator.extraction import extraction_content, is_extraction

SAMPLE_HEADER = "x-ai-visibility-sample"
FAILURES = {
    "http_500",
    "http_429",
    "http_401",
    "http_404",
    "empty",
    "malformed",
    "html",
    "drop",
    "truncated",
    "bad_json",
}
# What a proxy or gateway in front of an engine may answer with HTTP 200 while the engine is behind it.
GATEWAY_PAGE = (
    b"<!DOCTYPE html><html><head><title>Service temporarily unavailable</title></head>"
    b"<body><h1>We&rsquo;ll be right back</h1><p>The service is undergoing maintenance.</p></body></html>"
)
CREATED = 1764374400


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


class Simulator:
    """One simulated endpoint; counts requests so `fail_first` can heal after N failures."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = dict(config)
        self.requests = 0
        self._lock = threading.Lock()

    def handle(self, method: str, path: str, body: bytes, headers: Mapping[str, str] | None = None) -> Reply:
        """`headers` with lower-case names."""
        with self._lock:
            self.requests += 1
            number = self.requests
        route = path.rstrip("/")
        if method == "GET" and route.endswith("/models"):
            return _json(
                200, {"object": "list", "data": [{"id": "simulated", "object": "model", "owned_by": FINGERPRINT}]}
            )
        if method != "POST" or not route.endswith(("/chat/completions", "/responses")):
            return _error(
                404,
                f"the simulator serves POST /v1/chat/completions and /v1/responses, not {method} {path}",
                "invalid_request_error",
            )
        try:
            request = json.loads(body or b"{}")
            model = str(request["model"])
            prompt = _prompt(request)
        except (ValueError, KeyError, TypeError, AttributeError):
            return _error(
                400, "request body must be JSON with 'model' and 'messages' (or 'input')", "invalid_request_error"
            )
        try:
            sample = int((headers or {}).get(SAMPLE_HEADER, "1"))
        except ValueError:
            return _error(400, f"the {SAMPLE_HEADER} header must be a whole number", "invalid_request_error")
        fail = self.config.get("fail")
        if fail and fail not in FAILURES:
            return _error(500, f"simulator misconfigured: fail must be one of {sorted(FAILURES)}", "server_error")
        if self.config.get("latency_ms"):
            time.sleep(float(self.config["latency_ms"]) / 1000)
        failing_now = number <= int(self.config.get("fail_first", number))
        if fail and failing_now and model in self.config.get("fail_models", [model]):
            return self._failure(str(fail), model, route)
        if "temperature" in request and not accepts_temperature(model):
            return _error(
                400,
                f"Unsupported parameter: 'temperature' is not supported with this model ({model}).",
                "invalid_request_error",
            )
        if route.endswith("/responses"):
            return _json(200, response(prompt, model, request, sample=sample))
        return _json(200, completion(prompt, model, request, sample=sample))

    def _failure(self, fail: str, model: str, route: str) -> Reply:
        if fail == "drop":
            raise DropConnection(model)
        if fail == "malformed":
            return Reply(200, b'{"id": "chatcmpl-broken", "choices": [', {"content-type": "application/json"})
        if fail == "html":
            return Reply(200, GATEWAY_PAGE, {"content-type": "text/html; charset=utf-8"})
        if fail in ("truncated", "bad_json"):
            reason = "length" if fail == "truncated" else "stop"
            return _json(200, completion("", model, {}, content='{"brands": [{"name": "', finish_reason=reason))
        if fail == "empty":
            empty = (
                response("", model, {}, content="") if route.endswith("/responses") else completion("", model, {}, "")
            )
            return _json(200, empty)
        status = int(fail.removeprefix("http_"))
        headers = {"retry-after": str(self.config.get("retry_after_s", 1))} if status == 429 else {}
        messages = {
            500: "The server had an error while processing your request (simulated).",
            429: "Rate limit reached for requests (simulated).",
            401: "Incorrect API key provided (simulated).",
            404: f"The model '{model}' does not exist (simulated).",
        }
        kinds = {
            500: "server_error",
            429: "rate_limit_error",
            401: "invalid_request_error",
            404: "invalid_request_error",
        }
        return _error(status, messages[status], kinds[status], **headers)


def _prompt(request: Mapping[str, Any]) -> str:
    if "input" in request:
        given = request["input"]
        if isinstance(given, str):
            return given
        return "\n".join(str(m.get("content", "")) for m in given if m.get("role") == "user")
    return "\n".join(str(m.get("content", "")) for m in request["messages"] if m.get("role") == "user")


def native_place(request: Mapping[str, Any]) -> str | None:
    """The location given in the engine's own fields (OpenAI or Perplexity shape), if any."""
    located = (request.get("web_search_options") or {}).get("user_location") or {}
    located = located.get("approximate", located)
    for tool in request.get("tools") or []:
        if tool.get("type") == "web_search":
            located = tool.get("user_location") or {}
    if located.get("city"):
        return str(located["city"])
    country = located.get("country")
    return COUNTRY_NAMES.get(country, country) if country else None


def _usage(prompt: str, text: str) -> tuple[int, int]:
    return math.ceil(len(prompt) / 4) + 8, math.ceil(len(text) / 4)


def completion(
    prompt: str,
    model: str,
    request: Mapping[str, Any],
    content: str | None = None,
    finish_reason: str = "stop",
    sample: int = 1,
) -> dict[str, Any]:
    """A chat.completion object in the shape the model's provider uses (or a structured extraction)."""
    if content is None and is_extraction(request):
        content = extraction_content(request)
    text, fields = (
        compose(prompt, model, native_place(request), sample) if content is None else (content, {"annotations": []})
    )
    digest = seed(prompt, model, sample).hex()
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    if fields["annotations"]:
        message["annotations"] = fields["annotations"]
    tokens_in, tokens_out = _usage(prompt, text)
    body: dict[str, Any] = {
        "id": f"chatcmpl-sim-{digest[:24]}",
        "object": "chat.completion",
        "created": CREATED,
        "model": model,
        "system_fingerprint": FINGERPRINT,
        "choices": [{"index": 0, "finish_reason": finish_reason, "logprobs": None, "message": message}],
        "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out},
    }
    for key in ("citations", "search_results"):
        if key in fields:
            body[key] = fields[key]
    return body


def response(
    prompt: str, model: str, request: Mapping[str, Any], content: str | None = None, sample: int = 1
) -> dict[str, Any]:
    """A Responses API object: a web_search_call (with its sources) when asked, then the message."""
    text, fields = (
        compose(prompt, model, native_place(request), sample) if content is None else (content, {"annotations": []})
    )
    digest = seed(prompt, model, sample).hex()
    notes = [{"type": "url_citation", **n["url_citation"]} for n in fields["annotations"]]
    output: list[dict[str, Any]] = []
    if any(t.get("type") == "web_search" for t in request.get("tools") or []):
        sources = [{"type": "url", "url": n["url"]} for n in notes]
        sources.append({"type": "url", "url": "https://en.wikipedia.org/wiki/Customer_relationship_management"})
        output.append(
            {
                "id": f"ws_{digest[:20]}",
                "type": "web_search_call",
                "status": "completed",
                "action": {"type": "search", "query": prompt[-80:], "sources": sources},
            }
        )
    parts: list[dict[str, Any]] = [{"type": "output_text", "text": text, "annotations": notes, "logprobs": []}]
    output.append(
        {"id": f"msg_{digest[:20]}", "type": "message", "role": "assistant", "status": "completed", "content": parts}
    )
    tokens_in, tokens_out = _usage(prompt, text)
    return {
        "id": f"resp_{digest[:24]}",
        "object": "response",
        "created_at": CREATED,
        "status": "completed",
        "model": model,
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": request.get("tools") or [],
        "metadata": {"system_fingerprint": FINGERPRINT},
        "usage": {
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        },
    }
