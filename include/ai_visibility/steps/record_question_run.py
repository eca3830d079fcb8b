"""Micro-step 2: turn the raw provider response into the cell's question-run record."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ai_visibility.ai.completion import parse_answer
from ai_visibility.db import Database, upsert
from ai_visibility.db.models import AIResponse, QuestionRun, UsageEntry
from ai_visibility.errors import AnswerError
from ai_visibility.steps.cell_status import cell_inputs, track_step
from ai_visibility.steps.context import StepContext


def record_question_run(db: Database, cell_key: str, context: StepContext) -> dict[str, object]:
    """The cell's question run: the answer text, usage and location parsed from the stored response."""
    with track_step(db, cell_key, "record_question_run") as cell, db.transaction() as s:
        inputs = cell_inputs(s, cell, context.reads)
        model = inputs.model
        response = s.get(AIResponse, cell_key)
        # One answer call per attempt (each AI call starts a new attempt); the latest row is the one kept.
        usage = s.scalars(
            select(UsageEntry)
            .where(
                UsageEntry.cell_key == cell_key,
                UsageEntry.purpose == "answer",
                UsageEntry.attempt == cell.attempts,
                UsageEntry.status == "billed",
            )
            .order_by(UsageEntry.seq.desc())
            .limit(1)
        ).first()
        if response is None or usage is None:
            raise AnswerError(f"cell {cell.label!r} has no AI response: call_ai must succeed first")
        answer = parse_answer(response.raw_response, model.api_model, model.web_search)
        upsert(
            s,
            QuestionRun,
            {
                "id": cell_key,
                "queue_id": cell.queue_id,
                "org_id": cell.org_id,
                "question_key": cell.question_key,
                "model_key": cell.model_key,
                "location_key": cell.location_key,
                "sample": cell.sample,
                "answer_text": answer.text,
                "served_model": answer.served_model,
                "synthetic": answer.synthetic,
                "latency_ms": response.latency_ms,
                "input_tokens": answer.input_tokens,
                "output_tokens": answer.output_tokens,
                "cost_usd": usage.cost_usd,
                "requested_location": response.requested_location,
                "applied_location": response.applied_location,
                "location_method": response.location_method,
                "status": "answered",
                "error": None,
                "repairs": response.repairs,
                # The wording the call asked, not the file's now: a cleared instance of this step run
                # after the question was edited writes the same row. A response stored by an older
                # worker has none; the question as defined now is the best left.
                "question_text": response.question_text if response.question_text is not None else inputs.question.text,
                "is_latest": False,
                "created_at": datetime.now(UTC),
            },
            keep=("is_latest",),
        )
    return {"cell_key": cell_key, "answer_chars": len(answer.text), "cost_usd": usage.cost_usd}
