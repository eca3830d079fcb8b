"""End-to-end runs of `process_org` when things break: a dead provider, a step that hangs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from airflow.dag_processing.dagbag import DagBag
from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.models import QueueCell
from ai_visibility.steps import call_ai
from tests.e2e.conftest import ROOT, states

pytestmark = pytest.mark.e2e


def test_a_dead_provider_fails_its_remaining_cells_fast_and_the_others_complete(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_env(demo_db.url, fail="http_500", fail_models=["sonar"])
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "7")  # failing calls retry until 2 s before it
    monkeypatch.setenv("AI_VISIBILITY_BREAKER_FAILURES", "2")
    run = process_org.test(run_conf={"org_id": "brightpath", "questions": ["best-crm-startups", "affordable-crm"]})
    assert run.state == "failed"
    by_task = states(run)
    assert by_task[("push_analytics", -1)] == "success" and by_task[("check_cells", -1)] == "failed"
    with demo_db.transaction() as s:
        cells = s.scalars(select(QueueCell)).all()
    failed = [c for c in cells if c.status == "failed"]
    assert {c.model_key for c in failed} == {"sonar"} and len(failed) == 6
    assert sum(c.status == "completed" for c in cells) == 12
    tried = [c for c in failed if (c.error or "").startswith("ProviderCallFailed: model 'sonar'")]
    fast = [c for c in failed if (c.error or "").startswith("provider perplexity unavailable: last error")]
    assert len(tried) == 2 and len(fast) == 4
    assert all("HTTP 500" in (c.error or "") and "sk-e2e-secret" not in (c.error or "") for c in failed)
    assert all(c.failed_step == "call_ai" and c.attempts == 1 for c in failed)


def test_a_step_stopped_at_its_time_limit_records_the_limit(
    demo_db: Database, app_env: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    app_env(demo_db.url)
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "1")  # the tasks' execution_timeout, set at parse time
    process_org = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py")).dags["process_org"]

    def hangs(*_: Any, **__: Any) -> Any:  # an engine that ignores its deadline
        time.sleep(30)

    monkeypatch.setattr(call_ai, "ask", hangs)
    conf = {"org_id": "brightpath", "questions": ["best-crm-startups"], "models": ["gpt-4o"], "locations": ["US"]}
    run = process_org.test(run_conf=conf)
    assert states(run)[("process_cell.call_ai", 0)] == "failed"
    with demo_db.transaction() as s:
        cell = s.scalars(select(QueueCell)).one()
    assert (cell.failed_step, cell.error) == ("call_ai", "timed out after 1 s in call_ai")
