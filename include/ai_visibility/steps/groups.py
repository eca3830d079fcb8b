"""A step over a group of cells (`cell_groups`): the step functions still take one cell each; a group
runs a step over its cells that still need it, each cell in its own transactions, its AI calls a few
at a time (threads), the other steps one cell after another. A cell that fails records its step and
reason and does not stop the others. A group run again (a retry, a clear) skips its completed cells:
only the cells that did not complete are done again.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.db import Database
from ai_visibility.db.engine import as_utc
from ai_visibility.db.models import AIResponse, QueueCell
from ai_visibility.errors import FAIL_FAST
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.group_reads import GroupReads
from ai_visibility.steps.registry import run_step

FIRST_STEP = "call_ai"
LAST_STEP = "calculate_metrics"
# The steps whose failure leaves a step nothing to work on, as the DAG wires them. The extraction
# steps run side by side: one's failure does not stop the others, as with one task per cell.
UPSTREAM: dict[str, tuple[str, ...]] = {
    "call_ai": (),
    "record_question_run": ("call_ai",),
    "extract_mentions": ("call_ai", "record_question_run"),
    "extract_claims": ("call_ai", "record_question_run"),
    "extract_citations": ("call_ai", "record_question_run"),
    "calculate_metrics": ("call_ai", "record_question_run", "extract_mentions", "extract_claims", "extract_citations"),
}


def due_cells(s: Session, cell_keys: Sequence[str], step: str) -> list[str]:
    """The group's cells `step` still has to do, in queue order.

    Completed cells are never redone. The AI call skips a cell whose answer it already stored in this
    attempt (a retry of the group's call pays only for the calls that failed); a later step skips a
    cell that failed before it (nothing to work on) or was never asked.
    """
    cells = s.scalars(select(QueueCell).where(QueueCell.key.in_(cell_keys)).order_by(QueueCell.position)).all()
    if step == FIRST_STEP:
        answered = dict(
            s.execute(select(AIResponse.cell_key, AIResponse.called_at).where(AIResponse.cell_key.in_(cell_keys))).all()
        )

        def answered_now(cell: QueueCell) -> bool:
            called = answered.get(cell.key)
            return (
                cell.status == "running"
                and called is not None
                and cell.started_at is not None
                and as_utc(called) >= as_utc(cell.started_at)
            )

        return [c.key for c in cells if c.status != "completed" and not answered_now(c)]
    upstream = UPSTREAM[step]
    return [
        c.key
        for c in cells
        if c.status not in ("completed", "pending") and not (c.status == "failed" and c.failed_step in upstream)
    ]


@dataclass(frozen=True)
class GroupOutcome:
    """What one step did over a group: cells done, skipped (not due), and failed with their reasons."""

    step: str
    done: int
    skipped: int
    failed: dict[str, str] = field(default_factory=dict)
    # Whether a failure may heal on a retry (a fail-fast one, bad input or an open breaker, will not).
    retryable: bool = False

    @property
    def summary(self) -> dict[str, object]:
        return {"step": self.step, "done": self.done, "skipped": self.skipped, "failed": len(self.failed)}

    def __str__(self) -> str:
        failed = "; ".join(f"{key}: {reason}" for key, reason in self.failed.items())
        return f"{self.step}: {self.done} cells done, {len(self.failed)} failed, {self.skipped} not due" + (
            f" ({failed})" if failed else ""
        )


def _shared_endpoints(context: StepContext) -> StepContext:
    """One lookup of each connection for the whole group, safe across its threads."""
    lock = threading.Lock()
    lookup = cache(context.resolve_endpoint)

    def resolve(conn_id: str) -> Endpoint:
        with lock:
            return lookup(conn_id)

    return replace(context, resolve_endpoint=resolve)


def run_group(
    db: Database,
    step: str,
    cell_keys: Sequence[str],
    context: StepContext,
    calls: int = 1,
    run: Callable[[str, Database, str, StepContext], dict[str, object]] = run_step,
) -> GroupOutcome:
    """Run `step` over the group's due cells: the AI call `calls` at a time, the others in turn."""
    with db.transaction() as s:
        due = due_cells(s, cell_keys, step)
    context = replace(_shared_endpoints(context), reads=GroupReads())
    failed: dict[str, str] = {}
    retryable = False

    def one(key: str) -> None:
        nonlocal retryable
        try:
            run(step, db, key, context)
        # The step recorded the failure on its cell; the group goes on with its other cells, and its
        # task reports the failures once they have all run.
        except Exception as exc:
            failed[key] = f"{type(exc).__name__}: {exc}"
            retryable = retryable or not isinstance(exc, FAIL_FAST)

    if step == FIRST_STEP and calls > 1 and len(due) > 1:
        with ThreadPoolExecutor(max_workers=min(calls, len(due)), thread_name_prefix="call_ai") as pool:
            list(pool.map(one, due))
    else:
        for key in due:
            one(key)
    return GroupOutcome(step, len(due) - len(failed), len(cell_keys) - len(due), failed, retryable)


def unfinished(db: Database, cell_keys: Sequence[str]) -> list[str]:
    """The group's cells that did not complete, as "label [step]: reason" lines."""
    with db.transaction() as s:
        rows = s.execute(
            select(QueueCell.label, QueueCell.failed_step, QueueCell.error)
            .where(QueueCell.key.in_(cell_keys), QueueCell.status != "completed")
            .order_by(QueueCell.position)
        ).all()
    return [f"{label} [{step or 'unfinished'}]: {error}" for label, step, error in rows]


def time_limit_s(step: str, cells: int, calls: int, step_timeout_s: float) -> float:
    """A group step's time limit: the step's own limit for each round of cells it runs."""
    rounds = math.ceil(cells / calls) if step == FIRST_STEP else cells
    return step_timeout_s * max(1, rounds)
