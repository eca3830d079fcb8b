"""reprocess_org in a real Airflow, triggered through its REST API after a process_org run."""

from __future__ import annotations

import time
from collections.abc import Callable

import airflow_client.client as af
import pytest
from sqlalchemy import select

from ai_visibility import keys
from ai_visibility.db.models import QueueCell, RunMetrics
from ai_visibility.extraction.version import EXTRACTION_VERSION
from tests.helpers import queue_row_counts
from tests.operations.conftest import Stack

pytestmark = pytest.mark.operations
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"], "models": ["gpt-4o"]}


def _wait_registered(stack: Stack, dag_id: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if not af.DAGApi(stack.client).get_dag(dag_id).is_paused:
                return
        except af.ApiException:
            pass
        time.sleep(2)
    raise TimeoutError(f"the dag-processor did not register {dag_id} in time")


def test_reprocess_org_reextracts_a_finished_run_and_changes_no_row_counts(
    stack: Stack, trigger: Callable[..., str]
) -> None:
    run_id = trigger(CONF)
    assert stack.wait_for_run(run_id).state == "success"
    queue = keys.queue_id("brightpath", run_id)
    counts = queue_row_counts(stack.app_db, queue)
    assert counts["question_runs"] == 1 and counts["mentions"] > 0

    _wait_registered(stack, "reprocess_org")
    body = af.TriggerDAGRunPostBody(logical_date=None, conf={"org_id": "brightpath", "queues": [queue]})
    reprocess_id = str(af.DagRunApi(stack.client).trigger_dag_run("reprocess_org", body).dag_run_id)
    assert stack.wait_for_run(reprocess_id, "reprocess_org").state == "success"

    assert queue_row_counts(stack.app_db, queue) == counts
    with stack.app_db.transaction() as s:
        versions = set(
            s.scalars(
                select(RunMetrics.extraction_version)
                .join(QueueCell, QueueCell.key == RunMetrics.cell_key)
                .where(QueueCell.queue_id == queue)
            )
        )
    assert versions == {EXTRACTION_VERSION}
