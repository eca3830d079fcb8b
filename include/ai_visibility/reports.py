"""What the Airflow UI shows for a run: the queue's live progress, then its visual report."""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.engine import as_utc
from ai_visibility.db.models import AnalyticsReport, ProcessingQueue, Push, QueueCell
from ai_visibility.queue import progress_in
from ai_visibility.report import render_report


class NoQueue(LookupError):
    pass


def run_progress(db: Database, dag_run_id: str) -> dict[str, Any]:
    """Cell counts (derived), status and the cells not completed, with their reasons."""
    with db.transaction() as s:
        queue = s.scalars(select(ProcessingQueue).where(ProcessingQueue.dag_run_id == dag_run_id)).first()
        if queue is None:
            raise NoQueue(f"no processing queue for DAG run {dag_run_id!r} (not a process_org run, or not started)")
        counts = progress_in(s, queue.id)
        open_cells = s.scalars(
            select(QueueCell)
            .where(QueueCell.queue_id == queue.id, QueueCell.status != "completed")
            .order_by(QueueCell.position)
        ).all()
        return {
            "queue_id": queue.id,
            "org_id": queue.org_id,
            "dag_run_id": dag_run_id,
            "status": queue.status,
            "created_at": as_utc(queue.created_at).isoformat(),
            "finished_at": as_utc(queue.finished_at).isoformat() if queue.finished_at else None,
            "estimated_cost_usd": queue.estimated_cost_usd,
            "cells": {
                "total": counts.total,
                "completed": counts.completed,
                "failed": counts.failed,
                "running": counts.running,
                "pending": counts.pending,
            },
            "open_cells": [
                {"label": c.label, "status": c.status, "step": c.failed_step, "reason": c.error} for c in open_cells
            ],
        }


def run_analytics(db: Database, dag_run_id: str) -> dict[str, Any]:
    with db.transaction() as s:
        document = s.scalar(
            select(AnalyticsReport.document).join(ProcessingQueue).where(ProcessingQueue.dag_run_id == dag_run_id)
        )
    if document is None:
        raise NoQueue(f"no analytics yet for DAG run {dag_run_id!r}")
    return dict(document)


def run_pushes(db: Database, dag_run_id: str) -> list[str]:
    """Each destination's latest push, newest first: where (a webhook by connection, scheme and host), outcome, time."""
    with db.transaction() as s:
        pushes = s.scalars(
            select(Push)
            .join(ProcessingQueue)
            .where(ProcessingQueue.dag_run_id == dag_run_id)
            .order_by(Push.pushed_at.desc(), Push.destination)
        ).all()
        return [_describe(p) for p in pushes]


def _describe(push: Push) -> str:
    where = push.destination
    if push.location and push.location != push.destination:
        where += f" ({push.location})"
    outcome = push.status
    if push.http_status is not None:
        outcome += f", HTTP {push.http_status}"
    elif push.error:
        outcome += f", {push.error}"
    return f"{where}: {outcome} at {as_utc(push.pushed_at).isoformat(timespec='seconds')}"


def run_report_html(db: Database, dag_run_id: str) -> str:
    """The queue's visual report (`report/`) with where it was pushed, once analytics exist; before
    that, the run's progress. Either page reloads itself while the queue is still running."""
    progress = run_progress(db, dag_run_id)
    running = progress["status"] == "running"
    try:
        document = run_analytics(db, dag_run_id)
    except NoQueue:
        return _progress_page(progress, running)
    return render_report(document, run_pushes(db, dag_run_id), refresh=running)


def _progress_page(progress: dict[str, Any], running: bool) -> str:
    cells = progress["cells"]
    rows = "".join(
        f"<tr><td>{html.escape(c['label'])}</td><td>{c['status']}</td><td>{html.escape(c['step'] or '')}</td>"
        f"<td>{html.escape(c['reason'] or '')}</td></tr>"
        for c in progress["open_cells"]
    )
    refresh = '<meta http-equiv="refresh" content="5">' if running else ""
    title = f"AI visibility · {html.escape(progress['dag_run_id'])}"
    return f"""<!doctype html><html><head><meta charset="utf-8">{refresh}<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;margin:1.5rem}}
td,th{{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #ddd}}</style></head><body>
<h2>{html.escape(progress["org_id"])} · queue {progress["status"]}</h2>
<p>{cells["completed"]} completed, {cells["failed"]} failed, {cells["running"]} running, {cells["pending"]} pending
of {cells["total"]} cells.</p>
{f"<table><tr><th>cell</th><th>status</th><th>step</th><th>reason</th></tr>{rows}</table>" if rows else ""}
<p>The report is drawn when every cell has finished and the analytics are generated.</p></body></html>"""
