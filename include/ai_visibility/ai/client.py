"""One chat-completion call through the `openai` SDK, with errors that name the model and the fix."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx2
import openai

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.errors import AnswerError, PermanentAIError

PERMANENT = (
    openai.AuthenticationError,
    openai.PermissionDeniedError,
    openai.NotFoundError,
    openai.BadRequestError,
    openai.UnprocessableEntityError,
)
FIXES = {
    401: "check the key in the connection's password field",
    403: "check that the key may use this model",
    404: "check the model's api_model and the connection's base URL",
    400: "check the model's settings (web search, location method) against what the endpoint accepts",
    422: "check the model's settings (web search, location method) against what the endpoint accepts",
}


@dataclass(frozen=True)
class Exchange:
    request: dict[str, Any]
    raw_response: dict[str, Any]
    latency_ms: int


def build_client(endpoint: Endpoint, timeout_s: float) -> openai.OpenAI:
    http_client = None
    if endpoint.simulator is not None:
        from ai_visibility.simulator.transport import SimulatorTransport

        http_client = httpx2.Client(transport=SimulatorTransport(endpoint.simulator), timeout=timeout_s)
    return openai.OpenAI(
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        timeout=timeout_s,
        max_retries=2,
        http_client=http_client,
        **endpoint.client_kwargs,
    )


def ask(endpoint: Endpoint, api_model: str, prompt: str, request_fields: dict[str, Any], timeout_s: float) -> Exchange:
    """Send one user message; return the provider's full response as JSON (extra fields included)."""
    request: dict[str, Any] = {"model": api_model, "messages": [{"role": "user", "content": prompt}], **request_fields}
    client = build_client(endpoint, timeout_s)
    started = time.perf_counter()
    try:
        completion = client.chat.completions.create(
            model=api_model, messages=[{"role": "user", "content": prompt}], extra_body=request_fields or None
        )
    except PERMANENT as exc:
        fix = FIXES.get(exc.status_code, "check the model and connection settings")
        raise PermanentAIError(
            f"model {api_model!r} via connection {endpoint.conn_id!r} was rejected with HTTP {exc.status_code}: "
            f"{_redact(exc.message, endpoint)}; {fix}"
        ) from None
    except openai.APITimeoutError:
        raise TimeoutError(
            f"model {api_model!r} via connection {endpoint.conn_id!r} did not answer within {timeout_s:g}s"
        ) from None
    except openai.APIStatusError as exc:
        raise ConnectionError(
            f"model {api_model!r} via connection {endpoint.conn_id!r} failed with HTTP {exc.status_code}: "
            f"{_redact(exc.message, endpoint)}"
        ) from None
    except openai.APIConnectionError as exc:
        raise ConnectionError(
            f"could not reach {endpoint.base_url} for model {api_model!r} (connection {endpoint.conn_id!r}): "
            f"{_redact(str(exc), endpoint)}"
        ) from None
    except ValueError as exc:  # the SDK raises this when the body is not JSON
        raise AnswerError(f"model {api_model!r} returned a body that is not a chat completion: {exc}") from None
    finally:
        client.close()
    latency_ms = round((time.perf_counter() - started) * 1000)
    return Exchange(request, completion.model_dump(mode="json", exclude_unset=True), latency_ms)


def _redact(text: str, endpoint: Endpoint) -> str:
    return text.replace(endpoint.api_key, "***") if endpoint.api_key else text
