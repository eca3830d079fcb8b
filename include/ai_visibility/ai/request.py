"""Build the request each engine accepts: API style, location, and only the parameters it takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ai_visibility.ai.capabilities import accepts_temperature
from ai_visibility.ai.location import AppliedLocation
from ai_visibility.ai.views import ModelView


@dataclass(frozen=True)
class AIRequest:
    api_style: str  # chat_completions | responses
    api_model: str
    params: dict[str, Any]  # keyword arguments of the SDK method
    extra_body: dict[str, Any] = field(default_factory=dict)  # provider fields the SDK does not know
    # HTTP headers beyond the SDK's own; engines ignore them, the simulator reads the sample from them.
    headers: dict[str, str] = field(default_factory=dict)

    def as_sent(self) -> dict[str, Any]:
        """The request as the engine receives it (never includes the key)."""
        sent = {"api_style": self.api_style, **self.params, **self.extra_body}
        return sent | ({"headers": self.headers} if self.headers else {})


SAMPLE_HEADER = "X-AI-Visibility-Sample"


def build_request(model: ModelView, question: str, location: AppliedLocation, sample: int = 1) -> AIRequest:
    """`sample` > 1 (a cell asked several times) is sent as a header: the request itself stays the
    same for every sample, since what samples measure is how one request's answers vary."""
    prompt = location.prompt_prefix + question
    headers = {SAMPLE_HEADER: str(sample)} if sample != 1 else {}
    if model.api_style == "responses":
        return _responses(model, prompt, location, headers)
    params: dict[str, Any] = {"model": model.api_model, "messages": [{"role": "user", "content": prompt}]}
    extra: dict[str, Any] = {}
    if model.temperature is not None and accepts_temperature(model.api_model):
        params["temperature"] = model.temperature
    if model.max_output_tokens:
        key = "max_completion_tokens" if model.provider == "openai" else "max_tokens"
        params[key] = model.max_output_tokens
    if model.provider == "openai" and model.web_search:
        user_location = {"type": "approximate", "approximate": location.native} if location.native else None
        params["web_search_options"] = {"user_location": user_location} if user_location else {}
    elif model.provider == "perplexity" and location.native:
        extra["web_search_options"] = {"user_location": location.native}
    return AIRequest("chat_completions", model.api_model, params, extra, headers)


def _responses(model: ModelView, prompt: str, location: AppliedLocation, headers: dict[str, str]) -> AIRequest:
    params: dict[str, Any] = {"model": model.api_model, "input": prompt}
    if model.temperature is not None and accepts_temperature(model.api_model):
        params["temperature"] = model.temperature
    if model.max_output_tokens:
        params["max_output_tokens"] = model.max_output_tokens
    if model.web_search:
        # Without a user_location the tool assumes the United States; an empty approximate one avoids that.
        params["tools"] = [{"type": "web_search", "user_location": {"type": "approximate", **(location.native or {})}}]
        params["include"] = ["web_search_call.action.sources"]
    return AIRequest("responses", model.api_model, params, headers=headers)
