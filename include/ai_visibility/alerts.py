"""A Slack-compatible alert for a failed or partial run (org, run, failed cells, link to the grid),
sent once per failure."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import astuple, dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ai_visibility.db import Database, insert_missing
from ai_visibility.db.models import FailureAlertDelivery

MAX_CELLS = 10
log = logging.getLogger(__name__)


def failed_run_alert(
    dag_id: str,
    org_id: str | None,
    dag_run_id: str,
    grid_url: str,
    reason: str,
    progress: dict[str, Any] | None,
    db_error: str | None = None,
    failed_task: str = "",
) -> dict[str, Any]:
    """The payload: `text` for any webhook, `blocks` for Slack. `org_id`: the run's org, none for a
    run of no one org (schedule_orgs), which has no cells and is told by its failed task.
    `db_error`: why the app database could not be read, so which cells failed is unknown."""
    lines: list[str] = []
    if org_id is None:
        headline = f"{dag_id} failed{f' in {failed_task}' if failed_task else ''} ({reason})"
        if db_error:
            lines = [f"• the app database was unreachable: {db_error}"]
    elif db_error:
        headline = (
            f"{dag_id} for {org_id} failed: the app database was unreachable ({db_error}), "
            f"so its cells are unknown ({reason})"
        )
    elif progress:
        cells = progress["cells"]
        headline = (
            f"{dag_id} for {org_id}: {cells['failed']} of {cells['total']} cells failed "
            f"({cells['completed']} completed)"
        )
        failures = [c for c in progress["open_cells"] if c["status"] == "failed"][:MAX_CELLS]
        lines = [f"• {c['label']} [{c['step'] or 'unfinished'}]: {(c['reason'] or '')[:200]}" for c in failures]
    else:
        headline = f"{dag_id} for {org_id} failed before any cell ran ({reason})"
    return _payload(headline, dag_run_id, grid_url, lines)


def failed_reprocess_alert(
    org_id: str,
    dag_run_id: str,
    grid_url: str,
    reason: str,
    progress: dict[str, Any] | None,
    failed_task: str = "",
    failed_queue: str | None = None,
    plan_read: bool = True,
) -> dict[str, Any]:
    """The payload for a failed `reprocess_org` run, which has no queue of its own: the queues it
    planned, the re-extracted runs that failed (queue, run, step, reason), and the queue whose
    refresh (flags, analytics, push) failed, if that failed the run. `progress`: its plan's outcome
    (`reprocess.reprocess_progress`), none when the run failed before it planned (bad conf: the
    reason is in the failed task's log), or when its plan could not be read (`plan_read` false; a run
    that failed without a failed task, timed out, gives the alert neither its conf nor its plan): how
    far it got is then not known here, and the alert says so rather than that nothing ran."""
    dag_id = "reprocess_org"
    where = f" in {failed_task}" if failed_task else ""
    if progress is None and (not plan_read or not failed_task):
        who = f" for {org_id}" if org_id != "?" else ""
        headline = f"{dag_id}{who} failed{where} ({reason}); how far it got is unknown to this alert: see the run"
        return _payload(headline, dag_run_id, grid_url, [])
    if progress is None:
        headline = f"{dag_id} for {org_id} failed{where} before it re-extracted any run ({reason})"
        return _payload(headline, dag_run_id, grid_url, [])
    cells, queues = progress["cells"], progress["queues"]
    refresh = f"{failed_task.rpartition('.')[2]} failed for queue {failed_queue} ({reason}); " if failed_queue else ""
    headline = (
        f"{dag_id} for {org_id}: {refresh}{cells['failed']} of {cells['total']} re-extracted runs failed "
        f"({cells['completed']} completed) in {len(queues)} queue{'s' * (len(queues) != 1)}"
    )
    lines = [f"• queues: {', '.join(queues)}"]
    failures = [c for c in progress["open_cells"] if c["status"] == "failed"][:MAX_CELLS]
    lines += [
        f"• {c['queue_id']} · {c['label']} [{c['step'] or 'unfinished'}]: {(c['reason'] or '')[:200]}" for c in failures
    ]
    return _payload(headline, dag_run_id, grid_url, lines)


def _payload(headline: str, dag_run_id: str, grid_url: str, lines: list[str]) -> dict[str, Any]:
    text = "\n".join([f":warning: {headline}", f"Run {dag_run_id}: {grid_url}", *lines])
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: *{headline}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"Run <{grid_url}|{dag_run_id}>"}},
    ]
    if lines:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}})
    return {"text": text, "blocks": blocks}


def send_alert(
    webhook_url: str, payload: dict[str, Any], idempotency_key: str | None = None, timeout_s: float = 10
) -> None:
    """Post the message; `idempotency_key` goes in the `Idempotency-Key` header, for receivers that drop repeats."""
    headers = {"idempotency-key": idempotency_key} if idempotency_key else {}
    response = httpx2.post(webhook_url, json=payload, headers=headers, timeout=timeout_s)
    if response.status_code >= 300:
        raise ConnectionError(f"the alert webhook answered HTTP {response.status_code}")


@dataclass(frozen=True)
class Failure:
    """What failed a run: the task instance whose failed try failed it. The same failure reported
    again (the callback run again, the run failed again with no new try failing) has the same key;
    a later try that fails again is a new failure."""

    dag_id: str
    dag_run_id: str
    task_id: str  # empty when the run failed without a failed task (it timed out)
    map_index: int
    try_number: int

    @property
    def idempotency_key(self) -> str:
        """`failure:<sha256 of the five fields>`: run ids and task ids may be long, a header should not."""
        what = "\n".join(str(field) for field in astuple(self))
        return f"failure:{hashlib.sha256(what.encode()).hexdigest()}"


def database_error(exc: BaseException, db: Database | None = None) -> str:
    """Why the app database failed, in one line fit for an alert: the driver's first line, never the
    URL or its password (SQLAlchemy's text adds the statement and a link; drivers do not echo them)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    text = f"{type(cause).__name__}: {lines[0] if lines else ''}".rstrip(": ")
    password = db.engine.url.password if db is not None else None
    if password:
        text = text.replace(str(password), "***")
    return text[:300]


def notify_failure(
    db: Database | None,
    failure: Failure,
    payload: dict[str, Any],
    send: Callable[[dict[str, Any], str], None],
) -> bool:
    """`send(payload, idempotency_key)` unless this failure's alert was delivered already; record it
    once the webhook accepted it (a post that failed has no row, and the next report of the failure
    posts it). Whether it was sent.

    Without the app database (`db` None, or it fails) the alert is still sent: the failure matters
    most then, and the `Idempotency-Key` alone lets the receiver drop a repeat."""
    key = astuple(failure)
    if db is not None:
        try:
            with db.transaction() as s:
                if s.get(FailureAlertDelivery, key) is not None:
                    return False
        except SQLAlchemyError as exc:
            log.warning("cannot read the alert deliveries (%s): sending without them", database_error(exc, db))
            db = None
    send(payload, failure.idempotency_key)
    if db is None:
        return True
    row = {
        "dag_id": failure.dag_id,
        "dag_run_id": failure.dag_run_id,
        "task_id": failure.task_id,
        "map_index": failure.map_index,
        "try_number": failure.try_number,
        "idempotency_key": failure.idempotency_key,
        "delivered_at": datetime.now(UTC),
    }
    try:
        with db.transaction() as s:
            insert_missing(s, FailureAlertDelivery, [row])
    except SQLAlchemyError as exc:
        # Sent all the same: a repeat carries the same key, for the receiver to drop.
        log.warning("the alert was sent but its delivery not recorded (%s)", database_error(exc, db))
    return True
