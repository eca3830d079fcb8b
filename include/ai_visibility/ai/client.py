"""One AI call through the `openai` SDK, bounded by a deadline, with errors that name the fix.

Transient failures (429, 5xx, timeouts, dropped connections) are retried with exponential backoff
and jitter, honouring Retry-After, until the deadline; then the step fails and Airflow's retry takes
over. Rejections (400, 401, 403, 404, 422) fail at once. The key never appears in any message.
Text that is not valid Unicode in a response is repaired (`ai.repair`), and the repair described.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.ai.repair import decode_body, describe, repair_strings
from ai_visibility.ai.request import AIRequest
from ai_visibility.errors import PermanentAIError, ProviderCallFailed, ProviderTimedOut, UnreadableAnswer

PERMANENT = (
    openai.AuthenticationError,
    openai.PermissionDeniedError,
    openai.NotFoundError,
    openai.BadRequestError,
    openai.UnprocessableEntityError,
)
TRANSIENT = (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError, openai.ConflictError)
FIXES = {
    401: "check the key in the connection's password field",
    403: "check that the key may use this model",
    404: "check the model's api_model and the connection's base URL",
    400: "check the model's settings (api_style, web_search, location_method) against what the endpoint accepts",
    422: "check the model's settings (api_style, web_search, location_method) against what the endpoint accepts",
}
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 20.0


@dataclass(frozen=True)
class Exchange:
    request: dict[str, Any]
    raw_response: dict[str, Any]
    latency_ms: int
    attempts: int
    # What was repaired in the response (`ai.repair.describe`); None when it arrived intact.
    repairs: str | None = None


def ask(
    endpoint: Endpoint,
    request: AIRequest,
    timeout_s: float,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Exchange:
    """Send the request; return the provider's full response as JSON (extra fields included)."""
    what = f"model {request.api_model!r} via connection {endpoint.conn_id!r}"
    deadline = clock() + timeout_s
    client = endpoint.client(timeout_s)
    attempts = 0
    # The provider's last real answer: when the deadline cuts the next try short, that answer (an
    # HTTP 500 six times over) is what failed, not a silence.
    answered: Exception | None = None
    try:
        while True:
            remaining = deadline - clock()
            if remaining <= 0:
                if answered is not None:
                    raise _final(answered, what, attempts, timeout_s, endpoint) from None
                raise ProviderTimedOut(
                    f"{what} did not answer within {timeout_s:g}s ({attempts} attempts)", kind="timeout"
                )
            attempts += 1
            started = clock()
            try:
                response = _send(client, request, remaining)
                raw, repairs = _read(response)
            except PERMANENT as exc:
                fix = FIXES.get(exc.status_code, "check the model and connection settings")
                raise PermanentAIError(
                    f"{what} was rejected with HTTP {exc.status_code}: {_redact(exc.message, endpoint)}; {fix}"
                ) from None
            except TRANSIENT as exc:
                if isinstance(exc, openai.APIStatusError):
                    answered = exc
                wait = _backoff(exc, attempts)
                if clock() + wait >= deadline:
                    cut_short = answered if isinstance(exc, openai.APITimeoutError) else None
                    raise _final(cut_short or exc, what, attempts, timeout_s, endpoint) from None
                sleep(wait)
                continue
            except ValueError as exc:  # the SDK raises this when the body is not JSON
                raise UnreadableAnswer(
                    f"{what} answered HTTP 200 with a body that is not a response ({exc}); the provider may "
                    "have billed it, so the usage ledger keeps the call as `unreadable` (cost unknown)"
                ) from None
            latency_ms = round((clock() - started) * 1000)
            return Exchange(request.as_sent(), raw, latency_ms, attempts, repairs)
    finally:
        client.close()


def _send(client: openai.OpenAI, request: AIRequest, timeout_s: float) -> Any:
    extra: dict[str, Any] = {"extra_body": request.extra_body} if request.extra_body else {}
    if request.headers:
        extra["extra_headers"] = request.headers
    # The request is assembled per engine at run time, so the SDK's per-literal overloads cannot apply.
    # The raw response, so that a body that is not valid UTF-8 can still be read (`_read`).
    create: Callable[..., Any] = (
        client.responses.with_raw_response.create
        if request.api_style == "responses"
        else client.chat.completions.with_raw_response.create
    )
    return create(**request.params, **extra, timeout=timeout_s)


def _read(response: Any) -> tuple[dict[str, Any], str | None]:
    """The response as JSON, its text repaired where it is not valid Unicode, and what was repaired."""
    undecodable = 0
    try:
        parsed = response.parse()
    except UnicodeDecodeError:
        text, undecodable = decode_body(response.content)
        try:
            raw = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"not JSON: {exc}") from None
        if not isinstance(raw, dict):
            raise ValueError(f"a JSON {type(raw).__name__}, not an object") from None
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    else:
        if isinstance(parsed, str):  # the SDK hands back the text of a body that is not served as JSON
            kind = response.headers.get("content-type", "no content type").split(";")[0].strip()
            raise ValueError(f"a {kind} page, not JSON")
        raw = parsed.model_dump(mode="json", exclude_unset=True)
    repaired, fields = repair_strings(raw)
    return repaired, describe(undecodable, fields)


def _backoff(exc: Exception, attempt: int) -> float:
    """Retry-After when the server sends one, else capped exponential backoff with full jitter."""
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
    return random.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempt))


def _final(exc: Exception, what: str, attempts: int, timeout_s: float, endpoint: Endpoint) -> ProviderCallFailed:
    if isinstance(exc, openai.APITimeoutError):
        return ProviderTimedOut(f"{what} did not answer within {timeout_s:g}s ({attempts} attempts)", kind="timeout")
    if isinstance(exc, openai.APIStatusError):
        return ProviderCallFailed(
            f"{what} failed with HTTP {exc.status_code} after {attempts} attempts within {timeout_s:g}s: "
            f"{_redact(exc.message, endpoint)}",
            kind=f"HTTP {exc.status_code}",
        )
    return ProviderCallFailed(
        f"could not reach {endpoint.base_url} for {what} after {attempts} attempts: {_redact(str(exc), endpoint)}",
        kind="unreachable",
    )


def _redact(text: str, endpoint: Endpoint) -> str:
    return text.replace(endpoint.api_key, "***") if endpoint.api_key else text
