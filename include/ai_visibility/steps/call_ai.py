"""Micro-step 1: ask the cell's question to the cell's model, from the cell's location, unless the
provider's breaker is open for this queue."""

from __future__ import annotations

from datetime import UTC, datetime

from ai_visibility.ai.client import ask
from ai_visibility.ai.completion import parse_answer
from ai_visibility.ai.location import apply_location, requested
from ai_visibility.ai.pricing import price_for
from ai_visibility.ai.request import build_request
from ai_visibility.db import Database, upsert
from ai_visibility.db.models import AIResponse
from ai_visibility.steps.billing import bill, close_unanswered, open_call
from ai_visibility.steps.cell_status import cell_inputs, track_step
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.provider_breaker import provider_call


def call_ai(db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """Store the provider's raw answer for the cell (replacing an earlier attempt's), its text repaired
    where it was not valid Unicode, and bill the call (its ledger row written before the call)."""
    with track_step(db, cell_key, "call_ai", first=True) as cell:
        with db.transaction() as s:
            inputs = cell_inputs(s, cell, context.reads)
        model, location = inputs.model, inputs.location
        price = price_for(model)
        applied = apply_location(model, location)
        request = build_request(model, inputs.question.text, applied, cell.sample)
        endpoint = context.resolve_endpoint(model.conn_id)
        # No transaction is open during the call: a slow engine must not hold a database lock.
        with provider_call(db, cell.queue_id, model.provider, context) as deadline_s:
            call = open_call(db, cell, "answer", model.key, model.api_model, price)
            try:
                exchange = ask(endpoint, request, deadline_s, sleep=context.sleep, clock=context.monotonic)
            except BaseException as exc:  # a stop at the step's limit too: the call may have been billed
                close_unanswered(db, call, exc)
                raise
        with db.transaction() as s:
            upsert(
                s,
                AIResponse,
                {
                    "cell_key": cell_key,
                    "request": exchange.request,
                    "raw_response": exchange.raw_response,
                    "latency_ms": exchange.latency_ms,
                    "requested_location": requested(location),
                    "applied_location": applied.applied,
                    "location_method": applied.method,
                    "called_at": datetime.now(UTC),
                    "repairs": exchange.repairs,
                    "question_text": inputs.question.text,
                },
            )
            bill(s, cell, "answer", model.key, model.api_model, price, exchange, model.web_search, call)
        # Kept above for inspection and billing; an empty or malformed answer fails this step so a
        # retry asks again.
        parse_answer(exchange.raw_response, model.api_model, model.web_search)
    return {"cell_key": cell_key, "latency_ms": exchange.latency_ms, "http_attempts": exchange.attempts}
