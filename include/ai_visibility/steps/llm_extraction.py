"""Run the `llm` extraction mode for a step, falling back to the rules with the reason recorded; each
extraction call has its ledger row written before it is made, as an answer call does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.ai.pricing import PRICE_TABLE_VERSION, Price, table_price
from ai_visibility.ai.request import AIRequest
from ai_visibility.db import Database
from ai_visibility.db.models import QueueCell
from ai_visibility.errors import InputError
from ai_visibility.extraction.brands import OrgView
from ai_visibility.extraction.limits import truncation_note
from ai_visibility.extraction.llm import LlmClaims, LlmExtractionFailed, LlmMentions, structured
from ai_visibility.steps.billing import bill, close_unanswered, open_call

if TYPE_CHECKING:
    from ai_visibility.ai.client import Exchange

T = TypeVar("T")
Schema = TypeVar("Schema", LlmMentions, LlmClaims)


@dataclass(frozen=True)
class LlmExtractor:
    """The extraction model: where it is, which model, and the deadline of each call."""

    endpoint: Endpoint
    api_model: str
    timeout_s: float


class LedgeredCalls:
    """The extraction model's calls for one step of one cell (`task`: mentions or claims): each call's
    ledger row is written before it is made and billed as soon as it answers, whatever the step does
    next (the call was paid for)."""

    def __init__(self, db: Database, cell: QueueCell, llm: LlmExtractor, task: str) -> None:
        self.db, self.cell, self.llm, self.task = db, cell, llm, task
        self.price = _price(llm.api_model)  # refused before any call is paid for
        self.made = 0

    def __call__(self, endpoint: Endpoint, request: AIRequest, timeout_s: float) -> Exchange:
        from ai_visibility.ai.client import ask

        # The purposes `structured` gives its calls: the first, then the one more try.
        purpose = self.task if not self.made else f"{self.task}-retry"
        self.made += 1
        row = open_call(self.db, self.cell, purpose, "extraction", self.llm.api_model, self.price)
        try:
            exchange = ask(endpoint, request, timeout_s)
        except BaseException as exc:
            close_unanswered(self.db, row, exc)
            raise
        with self.db.transaction() as s:
            bill(s, self.cell, purpose, "extraction", self.llm.api_model, self.price, exchange, row=row)
        return exchange


def ledgered_calls(db: Database, cell: QueueCell, llm: LlmExtractor | None, task: str) -> LedgeredCalls | None:
    """The step's extraction calls in `llm` mode; None in `rules` mode (no call is made)."""
    return LedgeredCalls(db, cell, llm, task) if llm is not None else None


def extract_with(
    llm: LlmExtractor | None,
    task: str,
    schema: type[Schema],
    answer: str,
    org: OrgView,
    from_llm: Callable[[Schema], T],
    rules: Callable[[], T],
    call: Callable[[Endpoint, AIRequest, float], Exchange] | None = None,
) -> tuple[T, str]:
    """The results and which mode produced them (and whether the answer was cut); the extraction
    model is asked through `call` (by default `ai.client.ask`)."""
    cut = truncation_note(answer)
    if llm is None:
        return rules(), "rules" + cut
    try:
        found, _ = structured(task, schema, llm.endpoint, llm.api_model, answer, org, llm.timeout_s, call)
    except LlmExtractionFailed as failure:
        return rules(), f"rules (llm fallback: {failure})" + cut
    return from_llm(found), f"llm:{llm.api_model}" + cut


def _price(api_model: str) -> Price:
    price = table_price(api_model)
    if price is None:
        raise InputError(
            f"extraction model {api_model!r} is not in the price table ({PRICE_TABLE_VERSION}): "
            "pick a listed model for AI_VISIBILITY_EXTRACTION_MODEL"
        )
    return price
