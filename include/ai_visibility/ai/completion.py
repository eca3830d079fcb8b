"""Read the parts of a chat completion a question run keeps; reject what is not an answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ai_visibility.errors import AnswerError
from ai_visibility.simulator import FINGERPRINT


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message
    finish_reason: str | None = None


class _Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Completion(BaseModel):
    model: str | None = None
    system_fingerprint: str | None = None
    choices: list[_Choice]
    usage: _Usage | None = None


@dataclass(frozen=True)
class Answer:
    text: str
    served_model: str | None
    synthetic: bool
    input_tokens: int
    output_tokens: int


def parse_answer(raw_response: Mapping[str, Any], api_model: str) -> Answer:
    try:
        completion = _Completion.model_validate(raw_response)
    except ValidationError as exc:
        raise AnswerError(f"the response of {api_model!r} is not a chat completion: {exc.errors()[0]['msg']}") from None
    if not completion.choices:
        raise AnswerError(f"{api_model!r} returned no choices")
    choice = completion.choices[0]
    text = (choice.message.content or "").strip()
    if not text:
        raise AnswerError(f"{api_model!r} returned an empty answer (finish_reason={choice.finish_reason})")
    usage = completion.usage or _Usage()
    return Answer(
        text,
        completion.model,
        completion.system_fingerprint == FINGERPRINT,
        usage.prompt_tokens,
        usage.completion_tokens,
    )
