"""Step 2: the processing queue, a persisted manifest of every cell of the run."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ai_visibility import keys
from ai_visibility.ai.location import apply_location
from ai_visibility.ai.pricing import price_for
from ai_visibility.cell_groups import QueuedCell, group_cells, require_groupable, tasks_needed
from ai_visibility.db import Database, insert_missing, upsert
from ai_visibility.db.models import AIModel, Location, Org, ProcessingQueue, Question, QueueCell
from ai_visibility.errors import InputError
from ai_visibility.run_conf import RunConf

T = TypeVar("T", Question, AIModel, Location)
PROMPT_OVERHEAD_TOKENS = 8
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    total: int
    pending: int
    running: int
    completed: int
    failed: int

    def __str__(self) -> str:
        return (
            f"{self.completed} completed, {self.failed} failed, {self.running} running, "
            f"{self.pending} pending of {self.total}"
        )


def label(question: Question, model: AIModel, location: Location, sample: int = 1, samples: int = 1) -> str:
    """The grid label; it names the sample only when the queue asks each cell more than once."""
    text = question.text if len(question.text) <= 60 else question.text[:57].rstrip() + "..."
    return f"{text} · {model.label} · {location.key}" + (f" · #{sample}" if samples > 1 else "")


def _select(rows: Sequence[T], wanted: list[str] | None, field: str) -> list[T]:
    if wanted is None:
        return list(rows)
    known = {r.key for r in rows}
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise InputError(f"conf.{field}: unknown keys {unknown}; this org has {sorted(known)}")
    if not wanted:
        raise InputError(f"conf.{field} is an empty list: leave it out to use every {field[:-1]}")
    return [r for r in rows if r.key in set(wanted)]


def estimate_cost(
    questions: Sequence[Question], models: Sequence[AIModel], locations: Sequence[Location], samples: int = 1
) -> float:
    """Prompt tokens from the text actually sent, the model's expected answer length, one search per call;
    every sample is a call of its own."""
    total = 0.0
    for model in models:
        price = price_for(model)
        for location in locations:
            prefix = apply_location(model, location).prompt_prefix
            for question in questions:
                prompt_tokens = math.ceil(len(prefix + question.text) / 4) + PROMPT_OVERHEAD_TOKENS
                cost = price.cost(prompt_tokens, model.expected_output_tokens, 1 if model.web_search else 0)
                total += cost * samples
    return round(total, 6)


def build_queue(
    db: Database, org: Mapping[str, Any], max_tasks: int, calls_per_task: int = 1, execution: str = "local"
) -> list[dict[str, Any]]:
    """Create (or, on a retry, keep) the queue that `load_org` named; returns the items to map over:
    one cell each, or with `org["cells_per_task"]` above 1, groups of cells of one model
    (`cell_groups`), whose AI calls run `calls_per_task` at a time.

    Each item names its model's provider, whose rate limit its AI calls share with every other run.
    The run conf's `samples` (else the org's) asks each question × model × location that many times,
    each sample a cell of its own.
    """
    conf = RunConf.model_validate(org["conf"])
    per_task = int(org.get("cells_per_task") or 1)
    require_groupable(per_task, execution)
    queue_id, dag_run_id = str(org["queue_id"]), str(org["dag_run_id"])
    with db.transaction() as s:
        org_id = conf.org_id
        questions = _select(
            s.scalars(select(Question).where(Question.org_id == org_id).order_by(Question.key)).all(),
            conf.questions,
            "questions",
        )
        models = _select(
            s.scalars(select(AIModel).where(AIModel.org_id == org_id).order_by(AIModel.key)).all(),
            conf.models,
            "models",
        )
        locations = _select(
            s.scalars(select(Location).where(Location.org_id == org_id).order_by(Location.key)).all(),
            conf.locations,
            "locations",
        )
        stored = s.get(Org, org_id)
        samples = conf.samples or (stored.samples if stored else 1)
        size = len(questions) * len(models) * len(locations) * samples
        if size == 0:
            raise InputError(
                f"org {org_id!r} gives an empty matrix: it needs at least one question, model and location"
            )
        tasks = tasks_needed(len(questions) * len(locations) * samples, len(models), per_task)
        if tasks > max_tasks:
            matrix = (
                f"{size} cells ({len(questions)} questions × {len(models)} models × {len(locations)} locations"
                f"{f' × {samples} samples' if samples > 1 else ''})"
            )
            grouped = f" in groups of {per_task} need {tasks} tasks, which" if per_task > 1 else ""
            raise InputError(
                f"{matrix}{grouped} exceed Airflow's [core] max_map_length of {max_tasks}: narrow the run with "
                f"conf.questions, conf.models"
                f"{', conf.locations or fewer conf.samples' if samples > 1 else ' or conf.locations'}, "
                "raise cells_per_task (conf or org file), "
                "or raise max_map_length"
            )
        estimate = estimate_cost(questions, models, locations, samples)
        if conf.budget_usd is not None and estimate > conf.budget_usd:
            per_cell = f" ({samples} samples per question × model × location)" if samples > 1 else ""
            raise InputError(
                f"the estimated cost of this run is ${estimate:.4f} for {size} cells{per_cell}, over conf.budget_usd "
                f"${conf.budget_usd:.4f}: narrow the run (questions, models, locations"
                f"{', samples' if samples > 1 else ''}) or raise the budget"
            )
        log.info("queue %s: %d cells, estimated cost $%.4f", queue_id, size, estimate)
        upsert(
            s,
            ProcessingQueue,
            {
                "id": queue_id,
                "org_id": org_id,
                "dag_run_id": dag_run_id,
                "status": "running",
                "selection": conf.model_dump(),
                "estimated_cost_usd": estimate,
                "budget_usd": conf.budget_usd,
                "created_at": datetime.now(UTC),
                "finished_at": None,
            },
            keep=("created_at",),
        )
        cells: list[dict[str, Any]] = []
        queued: list[QueuedCell] = []
        # A cell's samples sit next to each other, so the grid shows them together.
        for question in questions:
            for model in models:
                for location in locations:
                    for sample in range(1, samples + 1):
                        key = keys.cell_key(queue_id, question.key, model.key, location.key, sample)
                        cells.append(
                            {
                                "key": key,
                                "queue_id": queue_id,
                                "org_id": org_id,
                                "question_key": question.key,
                                "model_key": model.key,
                                "location_key": location.key,
                                "sample": sample,
                                "position": len(cells),
                                "label": label(question, model, location, sample, samples),
                                "status": "pending",
                                "attempts": 0,
                            }
                        )
                        queued.append(QueuedCell(key, cells[-1]["label"], model.provider, model.key, model.label))
        # A retried build keeps the cells' progress: only missing cells are inserted.
        insert_missing(s, QueueCell, cells)
        _relabel_reruns(s, queue_id, {c["key"]: c["label"] for c in cells}, completed_rerun=per_task == 1)
    if per_task > 1:
        return group_cells(queued, per_task, calls_per_task)
    return [{"cell_key": c.key, "label": c.label, "provider": c.provider} for c in queued]


def _relabel_reruns(s: Session, queue_id: str, labels: Mapping[str, str], completed_rerun: bool) -> None:
    """Give the cells that a retried build (the whole run cleared) runs again the labels it hands on,
    in the org's wording of now, which their AI calls will ask: the grid shows the labels handed on,
    failure lists and alerts the stored ones, and both must name a cell alike. A group reruns only
    its cells that did not complete; its completed cells keep the wording they were asked in.

    Read by queue, not by an IN list of the cells' keys: a big queue's would pass PostgreSQL's bound of
    65,535 parameters a statement."""
    stored = s.execute(
        select(QueueCell.key, QueueCell.label, QueueCell.status).where(QueueCell.queue_id == queue_id)
    ).all()
    changed = [
        {"key": key, "label": labels[key]}
        for key, label, status in stored
        if key in labels and label != labels[key] and (completed_rerun or status != "completed")
    ]
    if changed:
        s.execute(update(QueueCell), changed)  # an UPDATE by primary key per changed cell


def progress(db: Database, queue_id: str) -> Progress:
    with db.transaction() as s:
        return progress_in(s, queue_id)


def progress_in(s: Session, queue_id: str) -> Progress:
    """Cell counts by status, derived from the cells (never stored)."""
    rows = s.execute(
        select(QueueCell.status, func.count()).where(QueueCell.queue_id == queue_id).group_by(QueueCell.status)
    ).all()
    counts = dict(rows)
    return Progress(
        sum(counts.values()),
        counts.get("pending", 0),
        counts.get("running", 0),
        counts.get("completed", 0),
        counts.get("failed", 0),
    )


class CellsFailed(RuntimeError):
    pass


def require_all_completed(db: Database, queue_id: str) -> Progress:
    """Fail, naming the failed cells and why, when any cell of the queue did not complete."""
    with db.transaction() as s:
        counts = progress_in(s, queue_id)
        failed = s.execute(
            select(QueueCell.label, QueueCell.failed_step, QueueCell.error)
            .where(QueueCell.queue_id == queue_id, QueueCell.status != "completed")
            .order_by(QueueCell.position)
            .limit(10)
        ).all()
    if failed:
        lines = "\n".join(f"  - {label} [{step or 'unfinished'}]: {error}" for label, step, error in failed)
        more = (
            f"\n  ... and {counts.total - counts.completed - len(failed)} more"
            if counts.total - counts.completed > len(failed)
            else ""
        )
        raise CellsFailed(
            f"{counts.total - counts.completed} of {counts.total} cells did not complete "
            f"(analytics and push include the {counts.completed} that did):\n{lines}{more}"
        )
    return counts
