"""The same DAG on the CeleryExecutor: two Celery workers beside the scheduler take its tasks from
Redis (127.0.0.1:6379), as the workers of several machines would, and a grouped run completes."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import airflow_client.client as af
import pytest
from sqlalchemy import select

from ai_visibility import keys
from ai_visibility.db.models import AnalyticsReport, QueueCell
from ai_visibility_airflow.local_airflow import REDIS_URL
from tests.operations.conftest import Stack, running_stack, trigger_run

pytestmark = pytest.mark.operations
# 6 cells, in groups of 2 (one group per model), so the run also exercises groups on a real scheduler.
CONF = {
    "org_id": "brightpath",
    "questions": ["best-crm-startups", "affordable-crm"],
    "locations": ["US"],
    "cells_per_task": 2,
}


@pytest.fixture(scope="module")
def celery_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    broker = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((broker.hostname, broker.port), timeout=2) as redis:
            redis.sendall(b"PING\r\n")
            assert redis.recv(16).startswith(b"+PONG")
    except OSError as exc:
        pytest.fail(f"the Celery test needs Redis at {REDIS_URL}: {exc}")
    with running_stack(tmp_path_factory, executor="celery") as stack:
        yield stack


def _tasks_received(log: Path) -> int:
    """Tasks a Celery worker's log says it received."""
    return log.read_text(errors="replace").count("Received task") if log.exists() else 0


def test_a_grouped_run_completes_on_two_celery_workers(celery_stack: Stack) -> None:
    stack = celery_stack
    assert set(stack.airflow.supervisor.pids() if stack.airflow.supervisor else {}) >= {"worker-1", "worker-2"}
    run_id = trigger_run(stack, CONF)
    assert stack.wait_for_run(run_id, timeout_s=300).state == "success"

    calls = (
        af.TaskInstanceApi(stack.client)
        .get_mapped_task_instances("process_org", run_id, "process_cell.call_ai")
        .task_instances
    )
    assert {(ti.rendered_map_index, ti.pool, ti.pool_slots) for ti in calls} == {
        ("cells 1–2 · Gemini 2.5 Flash", "ai_gemini", 2),
        ("cells 1–2 · gpt-4o", "ai_openai", 2),
        ("cells 1–2 · Perplexity Sonar", "ai_perplexity", 2),
    }
    queue = keys.queue_id("brightpath", run_id)
    with stack.app_db.transaction() as s:
        statuses = s.scalars(select(QueueCell.status).where(QueueCell.queue_id == queue)).all()
        report = s.get(AnalyticsReport, queue)
    assert sorted(statuses) == ["completed"] * 6
    assert report is not None and report.document["coverage"]["succeeded"] == 6
    logs = stack.airflow.home / "logs"
    received = [_tasks_received(logs / f"worker-{n}.log") for n in (1, 2)]
    # load_org, build_queue, 3 groups × 6 steps, flags, analytics, push, check: 24 tasks, shared.
    assert sum(received) == 24 and all(received), received
