"""Run the `llm` extraction mode for a step, falling back to the rules with the reason recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.ai.pricing import PRICE_TABLE_VERSION, table_price
from ai_visibility.db.models import QueueCell
from ai_visibility.errors import InputError
from ai_visibility.extraction.brands import OrgView
from ai_visibility.extraction.limits import truncation_note
from ai_visibility.extraction.llm import LlmCall, LlmClaims, LlmExtractionFailed, LlmMentions, structured
from ai_visibility.steps.billing import bill

T = TypeVar("T")
Schema = TypeVar("Schema", LlmMentions, LlmClaims)


@dataclass(frozen=True)
class LlmExtractor:
    """The extraction model: where it is, which model, and the deadline of each call."""

    endpoint: Endpoint
    api_model: str
    timeout_s: float


def extract_with(
    llm: LlmExtractor | None,
    task: str,
    schema: type[Schema],
    answer: str,
    org: OrgView,
    from_llm: Callable[[Schema], T],
    rules: Callable[[], T],
) -> tuple[T, str, list[LlmCall]]:
    """The results, which mode produced them (and whether the answer was cut), and the billed calls."""
    cut = truncation_note(answer)
    if llm is None:
        return rules(), "rules" + cut, []
    try:
        found, calls = structured(task, schema, llm.endpoint, llm.api_model, answer, org, llm.timeout_s)
    except LlmExtractionFailed as failure:
        return rules(), f"rules (llm fallback: {failure})" + cut, failure.calls
    return from_llm(found), f"llm:{llm.api_model}" + cut, calls


def bill_llm_calls(s: Session, cell: QueueCell, llm: LlmExtractor | None, calls: list[LlmCall]) -> None:
    if llm is None or not calls:
        return
    price = table_price(llm.api_model)
    if price is None:
        raise InputError(
            f"extraction model {llm.api_model!r} is not in the price table ({PRICE_TABLE_VERSION}): "
            "pick a listed model for AI_VISIBILITY_EXTRACTION_MODEL"
        )
    for call in calls:
        bill(s, cell, call.purpose, "extraction", llm.api_model, price, call.exchange)
