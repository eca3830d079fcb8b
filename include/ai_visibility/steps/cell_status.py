"""A cell's status as its micro-steps run: running while a step works, failed with its reason, completed
by its last step; and the inputs a step reads from the cell."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.orm import Session

from ai_visibility.db import Database
from ai_visibility.db.models import AIModel, Location, Question, QuestionRun, QueueCell
from ai_visibility.errors import InputError, ProviderUnavailable

if TYPE_CHECKING:
    from ai_visibility.steps.group_reads import GroupReads

MAX_REASON = 2000
# Airflow's `execution_timeout` raises this BaseException inside the task.
TIMEOUTS = ("AirflowTaskTimeout",)
log = logging.getLogger(__name__)


@contextmanager
def track_step(db: Database, cell_key: str, step: str, *, first: bool = False) -> Iterator[QueueCell]:
    """Mark the cell running for `step` and yield it (read once, for the step to hand on); on any
    failure record the step and reason, then re-raise.

    `first` marks the step that starts a cell's attempt (the AI call): it counts the attempt.
    """
    with db.transaction() as s:
        cell = s.get(QueueCell, cell_key)
        if cell is None:
            raise InputError(f"cell {cell_key!r} is not in any processing queue; was the queue built for this run?")
        # A failure a sibling step recorded in this attempt stands; the step that failed, when run
        # again, or the AI call, which starts a new attempt, clears it.
        if first or cell.status != "failed" or cell.failed_step == step:
            cell.status, cell.failed_step, cell.error, cell.finished_at = "running", None, None, None
        if first:
            cell.attempts += 1
            cell.started_at = datetime.now(UTC)
    try:
        yield cell
    except BaseException as exc:  # timeouts and kills arrive as BaseException: record them too
        reason = failure_reason(exc, step)
        log.warning("cell %s failed at %s: %s", cell_key, step, reason)
        with db.transaction() as s:
            s.execute(
                update(QueueCell)
                .where(QueueCell.key == cell_key)
                .values(status="failed", failed_step=step, error=reason, finished_at=datetime.now(UTC))
            )
            s.execute(update(QuestionRun).where(QuestionRun.id == cell_key).values(status="failed", error=reason))
        raise


def is_step_timeout(exc: BaseException) -> bool:
    """Whether the orchestrator stopped the step at its time limit (known by name: no Airflow here)."""
    return type(exc).__name__ in TIMEOUTS


def failure_reason(exc: BaseException, step: str) -> str:
    """What the cell records: the step's own message, or that the step ran out of time."""
    if is_step_timeout(exc):
        return f"timed out in {step}"
    if isinstance(exc, ProviderUnavailable):
        return str(exc)[:MAX_REASON]
    return f"{type(exc).__name__}: {exc}"[:MAX_REASON]


def record_timeout(db: Database, cell_key: str, step: str, timeout_s: float) -> None:
    """Name the limit in the reason `track_step` recorded for a step the orchestrator stopped (the
    step itself does not know its limit)."""
    reason = f"timed out after {timeout_s:g} s in {step}"
    with db.transaction() as s:
        s.execute(
            update(QueueCell)
            .where(QueueCell.key == cell_key, QueueCell.status == "failed", QueueCell.failed_step == step)
            .values(error=reason)
        )
        s.execute(
            update(QuestionRun).where(QuestionRun.id == cell_key, QuestionRun.status == "failed").values(error=reason)
        )


def complete_cell(s: Session, cell_key: str) -> bool:
    """Mark the cell and its question run completed, inside the transaction of its last step;
    returns whether it did.

    The run too: a failure recorded on it by a step that has since succeeded on retry no longer holds.
    A failure still recorded on the cell belongs to a sibling step of this attempt that has not
    succeeded since (the last step's own failure was cleared when it started): it stands.
    """
    done = s.execute(
        update(QueueCell)
        .where(QueueCell.key == cell_key, QueueCell.status != "failed")
        .values(status="completed", failed_step=None, error=None, finished_at=datetime.now(UTC))
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        return False
    s.execute(update(QuestionRun).where(QuestionRun.id == cell_key).values(status="answered", error=None))
    return True


@dataclass(frozen=True)
class CellInputs:
    cell: QueueCell
    question: Question
    model: AIModel
    location: Location


def cell_inputs(s: Session, cell: QueueCell, reads: GroupReads | None = None) -> CellInputs:
    """The question, model and location the cell names, as the org defines them now (in a group, as it
    defined them when the group's step started)."""
    if reads is not None:
        defined = reads.definitions(s, cell.org_id)
        question = defined.questions.get(cell.question_key)
        model = defined.models.get(cell.model_key)
        location = defined.locations.get(cell.location_key)
    else:
        question = s.get(Question, (cell.org_id, cell.question_key))
        model = s.get(AIModel, (cell.org_id, cell.model_key))
        location = s.get(Location, (cell.org_id, cell.location_key))
    if question is None or model is None or location is None:
        raise InputError(
            f"cell {cell.label!r} refers to a question, model or location that was removed from "
            f"org {cell.org_id!r} after the queue was built; rebuild the queue with a new run"
        )
    return CellInputs(cell, question, model, location)


def answered_run(s: Session, cell_key: str) -> QuestionRun:
    """The cell's question run, which the extraction steps read; it exists once the run is recorded."""
    run = s.get(QuestionRun, cell_key)
    if run is None:
        raise InputError(f"cell {cell_key!r} has no question run yet: record_question_run must succeed first")
    return run


def record_failure_from_outside(db: Database, cell_key: str, step: str, reason: str) -> bool:
    """Record a failure the step itself could not (a container that never ran, a killed task).

    A reason the step already recorded for this step is kept: it is the more specific one.
    Returns whether anything was written.
    """
    with db.transaction() as s:
        cell = s.get(QueueCell, cell_key)
        if cell is None or (cell.status == "failed" and cell.failed_step == step):
            return False
        cell.status, cell.failed_step, cell.error = "failed", step, reason[:MAX_REASON]
        cell.finished_at = datetime.now(UTC)
        s.execute(update(QuestionRun).where(QuestionRun.id == cell_key).values(status="failed", error=cell.error))
    log.warning("cell %s failed at %s outside the step: %s", cell_key, step, reason)
    return True
