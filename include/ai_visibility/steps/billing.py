"""Record AI calls in the usage ledger (answers and extraction calls alike).

A call's row is written before the call, in a transaction of its own (`open_call`): a task
killed while the call is in flight still leaves the row, since the provider may bill that call.
The row becomes `billed` when the answer comes back (`bill`); the cell's next call finds a row still
`in_flight` and marks it `interrupted` (possibly billed, cost unknown) rather than deleting it. A
call answered with HTTP 200 and a body that is not a response is `unreadable`: possibly billed,
cost unknown, like an interrupted one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ai_visibility.ai.completion import usage_of
from ai_visibility.ai.pricing import Price
from ai_visibility.db import Database, upsert
from ai_visibility.db.models import QueueCell, UsageEntry
from ai_visibility.errors import ProviderTimedOut, UnreadableAnswer

if TYPE_CHECKING:
    from ai_visibility.ai.client import Exchange

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallRow:
    """The ledger row of one call: its primary key."""

    cell_key: str
    purpose: str
    attempt: int
    seq: int


def _next_seq(s: Session, cell: QueueCell, purpose: str) -> int:
    """A step run again in the same attempt (a cleared or retried task) made its calls again and paid
    for them again, so each call takes the next `seq` rather than the row of the earlier one."""
    earlier = s.scalar(
        select(func.max(UsageEntry.seq)).where(
            UsageEntry.cell_key == cell.key, UsageEntry.purpose == purpose, UsageEntry.attempt == cell.attempts
        )
    )
    return (earlier or 0) + 1


def open_call(db: Database, cell: QueueCell, purpose: str, model_key: str, api_model: str, price: Price) -> CallRow:
    """Write the call's row (`in_flight`, nothing counted yet) and commit it before the call is made.

    A cell's calls of one purpose are made one at a time, so a row of the cell and purpose still in
    flight belongs to a call that was cut off and never reported back: it is marked `interrupted`.
    """
    with db.transaction() as s:
        s.execute(
            update(UsageEntry)
            .where(UsageEntry.cell_key == cell.key, UsageEntry.purpose == purpose, UsageEntry.status == "in_flight")
            .values(status="interrupted")
        )
        row = CallRow(cell.key, purpose, cell.attempts, _next_seq(s, cell, purpose))
        upsert(
            s,
            UsageEntry,
            {
                "cell_key": row.cell_key,
                "purpose": row.purpose,
                "attempt": row.attempt,
                "seq": row.seq,
                "queue_id": cell.queue_id,
                "model_key": model_key,
                "api_model": api_model,
                "served_model": None,
                "input_tokens": 0,
                "output_tokens": 0,
                "search_calls": 0,
                "cost_usd": 0.0,
                "price_source": price.source,
                "recorded_at": datetime.now(UTC),
                "status": "in_flight",
            },
        )
    return row


def close_unanswered(db: Database, row: CallRow, exc: BaseException) -> None:
    """The call raised instead of answering. One cut off (it timed out, or the step was stopped at its
    limit or interrupted) may have been billed: `interrupted`. One answered with HTTP 200 and a body
    that cannot be read may have been billed too: `unreadable`. One the provider refused or failed with
    an error status was not: its row goes. When the database is out of reach too, the row stays in
    flight and the cell's next call marks it interrupted; the call's own error is the one raised."""
    status = (
        "unreadable"
        if isinstance(exc, UnreadableAnswer)
        else "interrupted"
        if isinstance(exc, ProviderTimedOut) or not isinstance(exc, Exception)
        else None
    )
    key = (
        UsageEntry.cell_key == row.cell_key,
        UsageEntry.purpose == row.purpose,
        UsageEntry.attempt == row.attempt,
        UsageEntry.seq == row.seq,
    )
    try:
        with db.transaction() as s:
            if status:
                s.execute(update(UsageEntry).where(*key).values(status=status))
            else:
                s.execute(delete(UsageEntry).where(*key))
    except SQLAlchemyError as db_exc:
        log.warning(
            "could not record how the %s call of cell %s ended (%s); it stays in flight until the cell's next call",
            row.purpose,
            row.cell_key,
            type(db_exc).__name__,
        )


def bill(
    s: Session,
    cell: QueueCell,
    purpose: str,
    model_key: str,
    api_model: str,
    price: Price,
    exchange: Exchange,
    web_search: bool = False,
    row: CallRow | None = None,
) -> float:
    """Record the answered call as `billed`, in its open row (`row`) or a new row of its own, and return
    what it cost."""
    usage = usage_of(exchange.raw_response, web_search)
    cost = price.cost(usage.input_tokens, usage.output_tokens, usage.search_calls)
    upsert(
        s,
        UsageEntry,
        {
            "cell_key": cell.key,
            "purpose": purpose,
            "attempt": row.attempt if row else cell.attempts,
            "seq": row.seq if row else _next_seq(s, cell, purpose),
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
            "status": "billed",
        },
    )
    return cost
