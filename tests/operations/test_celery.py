"""The same DAG on the CeleryExecutor: two Celery workers beside the scheduler take its tasks from
Redis (127.0.0.1:6379), as the workers of several machines would. The run is grouped
(`cells_per_task`), so it also shows a failed group cleared and rerun alone on a real scheduler, and that
both workers ran tasks of the one run."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import airflow_client.client as af
import pytest
from sqlalchemy import select

from ai_visibility import keys
from ai_visibility.db.models import AnalyticsReport, QueueCell
from ai_visibility_airflow.local_airflow import REDIS_URL
from tests.operations.conftest import Stack, running_stack, trigger_run

pytestmark = pytest.mark.operations
# 6 cells in groups of 2: one group per model.
CONF = {
    "org_id": "brightpath",
    "questions": ["best-crm-startups", "affordable-crm"],
    "locations": ["US"],
    "cells_per_task": 2,
}
SONAR = "cells 1–2 · Perplexity Sonar"
POOLS = {"cells 1–2 · Gemini 2.5 Flash": "ai_gemini", "cells 1–2 · gpt-4o": "ai_openai", SONAR: "ai_perplexity"}


@pytest.fixture(scope="module")
def celery_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    broker = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((broker.hostname, broker.port), timeout=2) as redis:
            redis.sendall(b"PING\r\n")
            assert redis.recv(16).startswith(b"+PONG")
    except OSError as exc:
        pytest.fail(f"the Celery test needs Redis at {REDIS_URL}: {exc}")
    # The breaker's trial call comes at once, so the cleared group runs as soon as Perplexity is back.
    with running_stack(tmp_path_factory, executor="celery", AI_VISIBILITY_BREAKER_COOLDOWN_S="0") as stack:
        yield stack


def _calls(stack: Stack, run_id: str) -> dict[str, af.TaskInstanceResponse]:
    found = (
        af.TaskInstanceApi(stack.client)
        .get_mapped_task_instances("process_org", run_id, "process_cell.call_ai")
        .task_instances
    )
    return {str(ti.rendered_map_index): ti for ti in found}


def test_a_grouped_run_on_two_celery_workers_and_its_failed_group_cleared_alone(celery_stack: Stack) -> None:
    stack = celery_stack
    assert stack.airflow.supervisor is not None and {"worker-1", "worker-2"} <= set(stack.airflow.supervisor.pids())
    stack.simulator.simulator.config.update({"fail": "http_500", "fail_models": ["sonar"]})
    try:
        run_id = trigger_run(stack, CONF)
        assert stack.wait_for_run(run_id, timeout_s=300).state == "failed"
    finally:
        stack.simulator.simulator.config.clear()  # Perplexity is back
    calls = _calls(stack, run_id)
    assert {label: (ti.pool, ti.pool_slots) for label, ti in calls.items()} == {
        label: (pool, 2) for label, pool in POOLS.items()
    }
    assert {label: ti.state for label, ti in calls.items()} == {
        "cells 1–2 · Gemini 2.5 Flash": "success",
        "cells 1–2 · gpt-4o": "success",
        SONAR: "failed",
    }
    queue = keys.queue_id("brightpath", run_id)

    def cells() -> dict[tuple[str, str], tuple[str, int]]:
        with stack.app_db.transaction() as s:
            rows = s.scalars(select(QueueCell).where(QueueCell.queue_id == queue)).all()
        return {(c.model_key, c.question_key): (c.status, c.attempts) for c in rows}

    assert {model: status for (model, _), (status, _) in cells().items()} == {
        "gpt-4o": "completed",
        "gemini-flash": "completed",
        "sonar": "failed",
    }

    failed = calls[SONAR]
    body = af.ClearTaskInstancesBody(
        dag_run_id=run_id,
        dry_run=False,
        only_failed=False,
        include_downstream=True,
        task_ids=[af.ClearTaskInstancesBodyTaskIdsInner(["process_cell.call_ai", failed.map_index])],
    )
    af.TaskInstanceApi(stack.client).post_clear_task_instances("process_org", body)
    assert stack.wait_for_run(run_id, timeout_s=300).state == "success"
    again = _calls(stack, run_id)
    others = {label: ti.try_number for label, ti in again.items() if label != SONAR}
    assert others == dict.fromkeys(set(POOLS) - {SONAR}, 1)  # the other groups were not run again
    assert again[SONAR].pool_slots == 2  # the cleared group took its slots again
    final = cells()
    assert {status for status, _ in final.values()} == {"completed"}
    assert {attempts for (model, _), (_, attempts) in final.items() if model != "sonar"} == {1}
    with stack.app_db.transaction() as s:
        report = s.get(AnalyticsReport, queue)
    assert report is not None and report.document["coverage"]["succeeded"] == 6
    # Both workers took tasks of this one run: each reports a host of its own (celery_workers).
    ran = af.TaskInstanceApi(stack.client).get_task_instances("process_org", run_id, limit=100).task_instances
    hosts = [ti.hostname for ti in ran]
    assert None not in hosts and set(hosts) == {"127.0.0.2", "127.0.0.3"}, hosts
