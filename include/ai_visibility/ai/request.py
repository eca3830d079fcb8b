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

    def as_sent(self) -> dict[str, Any]:
        """The request as the engine receives it (never includes the key)."""
        return {"api_style": self.api_style, **self.params, **self.extra_body}


def build_request(model: ModelView, question: str, location: AppliedLocation) -> AIRequest:
    prompt = location.prompt_prefix + question
    if model.api_style == "responses":
        return _responses(model, prompt, location)
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
    return AIRequest("chat_completions", model.api_model, params, extra)


def _responses(model: ModelView, prompt: str, location: AppliedLocation) -> AIRequest:
    params: dict[str, Any] = {"model": model.api_model, "input": prompt}
    if model.temperature is not None and accepts_temperature(model.api_model):
        params["temperature"] = model.temperature
    if model.max_output_tokens:
        params["max_output_tokens"] = model.max_output_tokens
    if model.web_search:
        # Without a user_location the tool assumes the United States; an empty approximate one avoids that.
        params["tools"] = [{"type": "web_search", "user_location": {"type": "approximate", **(location.native or {})}}]
        params["include"] = ["web_search_call.action.sources"]
    return AIRequest("responses", model.api_model, params)
