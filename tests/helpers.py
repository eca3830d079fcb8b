"""Helpers shared by the tests: the demo org as extraction sees it, fixture answers, the simulator
endpoint, a queue built and its cells run the way the DAG does, its analytics document, and a TCP
proxy a test can cut."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import (
    AIResponse,
    AnalyticsReport,
    Citation,
    Claim,
    Mention,
    ProcessingQueue,
    Push,
    QuestionRun,
    QueueCell,
    RunMetrics,
    UsageEntry,
)
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.errors import InputError
from ai_visibility.extraction.brands import Brand, OrgView, generated_aliases, make_brand
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.load_org import load_org
from ai_visibility.org_spec import read_org_file
from ai_visibility.queue import build_queue
from ai_visibility.run_conf import parse_run_conf
from ai_visibility.settings import ExtractionSettings
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.registry import STEP_NAMES, run_step

ANSWERS = Path(__file__).parent / "fixtures" / "answers"
ANALYTICS_SCHEMA = Path(__file__).parents[1] / "docs" / "analytics.schema.json"


def demo_org_view() -> OrgView:
    """The demo org as `read_org` builds it, without a database."""
    spec = read_org_file(DEMO_ORG_FILE)
    names = [spec.name, *(c.name for c in spec.competitors)]

    def brand(key: str, name: str, kind: str, websites: list[str], aliases: list[str], negative: list[str]) -> Brand:
        return make_brand(key, name, kind, websites, [*generated_aliases(name, websites, names), *aliases], negative)

    return OrgView(
        id=spec.id,
        name=spec.name,
        target=brand(spec.id, spec.name, "target", spec.websites, spec.aliases, spec.negative_terms),
        competitors=tuple(
            brand(c.key, c.name, "competitor", c.websites, c.aliases, c.negative_terms) for c in spec.competitors
        ),
    )


def answer(name: str) -> str:
    return (ANSWERS / f"{name}.md").read_text()


def raw_response(name: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((ANSWERS / f"{name}.json").read_text())
    raw["choices"][0]["message"]["content"] = answer(name)
    return raw


def simulator_endpoints(**config: Any) -> Any:
    """An endpoint resolver that sends every connection to the in-process simulator."""
    return lambda conn_id: Endpoint.from_connection(
        conn_id, "http://simulator.local/v1", "sk-test", {"simulator": config}
    )


def step_context(
    endpoints: Any = None, deadline_s: float = 10, extraction: ExtractionSettings | None = None
) -> StepContext:
    """What a worker task hands every step; the simulator answers every connection by default."""
    return StepContext(endpoints or simulator_endpoints(), deadline_s, extraction or ExtractionSettings())


def queue_cells(db: Database, conf: dict[str, Any], dag_run_id: str, max_cells: int = 1024) -> list[dict[str, str]]:
    """The mapped items of a run, built as the DAG builds them: `load_org`, then `build_queue`."""
    return build_queue(db, load_org(db, parse_run_conf(conf), dag_run_id, simulator_endpoints()), max_cells)


def run_cell(db: Database, cell_key: str, context: StepContext | None = None) -> None:
    """Every step of one cell in order, as one mapped instance of the group runs them."""
    for step in STEP_NAMES:
        run_step(step, db, cell_key, context or step_context())


class SimulatedTime:
    """Time that passes only when a step waits (an AI call's backoff between retries, a wait for a
    breaker's trial call): a failing call uses up its deadline in retries without sleeping, and a
    loaded machine never makes a healthy call late. Real deadlines are tested in test_ai_client."""

    def __init__(self) -> None:
        self.started = datetime.now(UTC)
        self.elapsed = 0.0

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return self.started + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float) -> None:
        self.elapsed += seconds


def in_simulated_time(context: StepContext) -> StepContext:
    """The context with its clocks and sleep on a `SimulatedTime` of its own."""
    time = SimulatedTime()
    return replace(context, now=time.now, sleep=time.sleep, monotonic=time.monotonic)


def run_cells(db: Database, cell_keys: list[str], endpoints: Any = None) -> None:
    """Every cell, as the mapped group runs them; a failed AI call ends that cell only."""
    context = in_simulated_time(step_context(endpoints))
    for key in cell_keys:
        with contextlib.suppress(ConnectionError, InputError):
            run_cell(db, key, context)


def schema_errors(document: dict[str, Any]) -> list[str]:
    """Where and how the analytics document breaks `docs/analytics.schema.json` (empty when it is valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(
        json.loads(ANALYTICS_SCHEMA.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


TABLES = (ProcessingQueue, QueueCell, AIResponse, QuestionRun, Mention, Claim, Citation, RunMetrics, AnalyticsReport)


def row_counts(db: Database) -> dict[str, int]:
    """Rows per pipeline table: a rerun that writes nothing new leaves these unchanged."""
    with db.transaction() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def stored_state(db: Database) -> dict[str, Any]:
    """What reprocessing must never change: answers, the ledger, cells' statuses and latest flags."""
    with db.transaction() as s:
        return {
            "answers": {r.id: (r.answer_text, r.status, r.is_latest) for r in s.scalars(select(QuestionRun))},
            "ledger": sorted((e.cell_key, e.purpose, e.attempt, e.cost_usd) for e in s.scalars(select(UsageEntry))),
            "cells": {c.key: (c.status, c.attempts) for c in s.scalars(select(QueueCell))},
        }


CELL_TABLES = (AIResponse, UsageEntry, Mention, Claim, Citation, RunMetrics)


def cell_row_counts(db: Database, cell_keys: list[str]) -> dict[str, int]:
    """Rows of some cells in the tables keyed by cell (question runs' id is their cell key)."""
    with db.transaction() as s:
        counts = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t).where(t.cell_key.in_(cell_keys))) or 0
            for t in CELL_TABLES
        }
        counts["question_runs"] = (
            s.scalar(select(func.count()).select_from(QuestionRun).where(QuestionRun.id.in_(cell_keys))) or 0
        )
    return counts


def queue_row_counts(db: Database, queue_id: str) -> dict[str, int]:
    """Rows of one queue in every pipeline table, for comparing queues while other runs write theirs."""
    with db.transaction() as s:
        cells = list(s.scalars(select(QueueCell.key).where(QueueCell.queue_id == queue_id)))
        per_queue = {
            t.__tablename__: s.scalar(select(func.count()).select_from(t).where(t.queue_id == queue_id)) or 0
            for t in (AnalyticsReport, Push)
        }
    return {"queue_cells": len(cells), **cell_row_counts(db, cells), **per_queue}


def run_queue(db: Database, dag_run_id: str, endpoints: Any = None, **conf: Any) -> list[dict[str, str]]:
    """The demo org's queue for a run (narrowed by `conf`), built and every cell run."""
    cells = queue_cells(db, {"org_id": "brightpath", **conf}, dag_run_id)
    run_cells(db, [c["cell_key"] for c in cells], endpoints)
    return cells


def only_queue(db: Database) -> str:
    """The id of the database's one processing queue."""
    with db.transaction() as s:
        return str(s.scalars(select(ProcessingQueue.id)).one())


def stored_document(db: Database, queue_id: str) -> dict[str, Any]:
    """The analytics document stored for the queue."""
    with db.transaction() as s:
        report = s.get(AnalyticsReport, queue_id)
        assert report is not None
        return dict(report.document)


def analytics_document(db: Database, queue_id: str) -> dict[str, Any]:
    """The queue's analytics document as the DAG makes it once the cells are done: latest flags set,
    then analytics generated and stored."""
    update_latest_flags(db, queue_id)
    generate_analytics(db, queue_id)
    return stored_document(db, queue_id)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TcpProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; `cut()` drops every connection and refuses new ones
    until `restore()`, as when the database host is unreachable."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            doomed, self._sockets = self._sockets, set()
        for sock in (listener, *doomed):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
