"""Record one billed AI call in the usage ledger (answers and extraction calls alike)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ai_visibility.ai.completion import usage_of
from ai_visibility.ai.pricing import Price
from ai_visibility.db import upsert
from ai_visibility.db.models import QueueCell, UsageEntry

if TYPE_CHECKING:
    from ai_visibility.ai.client import Exchange


def bill(
    s: Session,
    cell: QueueCell,
    purpose: str,
    model_key: str,
    api_model: str,
    price: Price,
    exchange: Exchange,
    web_search: bool = False,
) -> float:
    """Add the call to the ledger as a row of its own and return what it cost.

    A step run again in the same attempt (a cleared or retried task) made its calls again and paid for
    them again, so each call takes the next `seq` rather than the row of the earlier one.
    """
    usage = usage_of(exchange.raw_response, web_search)
    cost = price.cost(usage.input_tokens, usage.output_tokens, usage.search_calls)
    earlier = s.scalar(
        select(func.max(UsageEntry.seq)).where(
            UsageEntry.cell_key == cell.key, UsageEntry.purpose == purpose, UsageEntry.attempt == cell.attempts
        )
    )
    upsert(
        s,
        UsageEntry,
        {
            "cell_key": cell.key,
            "purpose": purpose,
            "attempt": cell.attempts,
            "seq": (earlier or 0) + 1,
            "queue_id": cell.queue_id,
            "model_key": model_key,
            "api_model": api_model,
            "served_model": usage.served_model,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "search_calls": usage.search_calls,
            "cost_usd": cost,
            "price_source": price.source,
            "recorded_at": datetime.now(UTC),
        },
    )
    return cost
