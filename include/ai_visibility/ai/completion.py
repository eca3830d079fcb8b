"""Read what a question run keeps from a Chat Completions or Responses answer; reject non-answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ai_visibility.errors import AnswerError

# The fingerprint a synthetic answer carries (the local simulator's), so runs on it are marked synthetic.
SYNTHETIC_FINGERPRINT = "ai-visibility-simulator"


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _ChatCompletion(BaseModel):
    model: str | None = None
    system_fingerprint: str | None = None
    choices: list[_Choice]


class _Content(BaseModel):
    type: str
    text: str | None = None


class _OutputItem(BaseModel):
    type: str
    content: list[_Content] = []


class _Response(BaseModel):
    model: str | None = None
    status: str | None = None
    output: list[_OutputItem]
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class Answer:
    text: str
    served_model: str | None
    synthetic: bool
    input_tokens: int
    output_tokens: int
    search_calls: int


def is_responses_api(raw: Mapping[str, Any]) -> bool:
    return raw.get("object") == "response" or "output" in raw


def parse_answer(raw_response: Mapping[str, Any], api_model: str, web_search: bool = False) -> Answer:
    """The answer text, served model, token usage and search calls; AnswerError when there is no answer."""
    try:
        if is_responses_api(raw_response):
            text, synthetic = _from_response(_Response.model_validate(raw_response), api_model)
        else:
            text, synthetic = _from_chat(_ChatCompletion.model_validate(raw_response), api_model)
    except ValidationError as exc:
        raise AnswerError(f"the response of {api_model!r} is not an answer: {exc.errors()[0]['msg']}") from None
    usage = usage_of(raw_response, web_search)
    return Answer(text, usage.served_model, synthetic, usage.input_tokens, usage.output_tokens, usage.search_calls)


def _from_chat(completion: _ChatCompletion, api_model: str) -> tuple[str, bool]:
    if not completion.choices:
        raise AnswerError(f"{api_model!r} returned no choices")
    choice = completion.choices[0]
    text = (choice.message.content or "").strip()
    if not text:
        raise AnswerError(f"{api_model!r} returned an empty answer (finish_reason={choice.finish_reason})")
    return text, completion.system_fingerprint == SYNTHETIC_FINGERPRINT


def _from_response(response: _Response, api_model: str) -> tuple[str, bool]:
    text = "".join(
        part.text or ""
        for item in response.output
        if item.type == "message"
        for part in item.content
        if part.type == "output_text"
    ).strip()
    if not text:
        raise AnswerError(f"{api_model!r} returned an empty answer (status={response.status})")
    return text, (response.metadata or {}).get("system_fingerprint") == SYNTHETIC_FINGERPRINT


@dataclass(frozen=True)
class Usage:
    served_model: str | None
    input_tokens: int
    output_tokens: int
    search_calls: int


def usage_of(raw_response: Mapping[str, Any], web_search: bool) -> Usage:
    """What a call consumed, read leniently: an unusable answer may still have been billed."""
    usage = raw_response.get("usage") or {}
    if is_responses_api(raw_response):
        searches = sum(1 for item in raw_response.get("output") or [] if item.get("type") == "web_search_call")
        return Usage(
            raw_response.get("model"),
            int(usage.get("input_tokens") or 0),
            int(usage.get("output_tokens") or 0),
            searches,
        )
    return Usage(
        raw_response.get("model"),
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
        1 if web_search else 0,
    )
