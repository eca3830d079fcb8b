"""`process_org` with cells in groups (`cells_per_task`), run by Airflow's own runner: a run larger
than `max_map_length`, one failed provider, and the group cleared once the provider is back; each
group's time limit its own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from airflow.dag_processing.dagbag import DagBag
from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.models import AnalyticsReport, QueueCell
from ai_visibility.simulator.handler import Simulator
from ai_visibility_airflow import step_tasks
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e
GROUPS = {
    "cells 1–3 · Gemini 2.5 Flash": "ai_gemini",
    "cells 1–3 · gpt-4o": "ai_openai",
    "cells 1–3 · Perplexity Sonar": "ai_perplexity",
}


def test_a_grouped_run_beyond_max_map_length_keeps_good_cells_and_a_rerun_redoes_only_the_failed_ones(
    demo_db: Database,
    app_env: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    provider_pools: Callable[..., None],
) -> None:
    app_env(demo_db.url, fail="http_500", fail_models=["sonar"])
    provider_pools("ai_openai", "ai_perplexity", "ai_gemini")  # 2 slots each
    monkeypatch.setenv("AIRFLOW__CORE__MAX_MAP_LENGTH", "4")  # 9 cells, as 3 groups
    # Read at parse time: no Airflow retries (the failed calls stay failed), two AI calls at once per group.
    monkeypatch.setenv("AI_VISIBILITY_STEP_RETRIES", "0")
    monkeypatch.setenv("AI_VISIBILITY_AI_CONCURRENCY", "2")
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "7")  # failing calls retry until 2 s before it
    dag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py")).dags["process_org"]
    when = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
    conf = {"org_id": "brightpath", "questions": ["best-crm-startups"], "cells_per_task": 3}

    first = dag.test(logical_date=when, run_after=when, run_conf=conf)
    assert first.state == "failed"
    calls = {ti.rendered_map_index: ti for ti in first.get_task_instances() if ti.task_id == "process_cell.call_ai"}
    assert {label: (ti.pool, ti.pool_slots) for label, ti in calls.items()} == {
        label: (pool, 2) for label, pool in GROUPS.items()
    }
    assert {label: ti.state for label, ti in calls.items()} == {
        "cells 1–3 · Gemini 2.5 Flash": "success",
        "cells 1–3 · gpt-4o": "success",
        "cells 1–3 · Perplexity Sonar": "failed",  # none of its cells answered
    }
    with demo_db.transaction() as s:
        cells = s.scalars(select(QueueCell)).all()
        coverage = s.scalars(select(AnalyticsReport)).one().document["coverage"]
    assert {(c.model_key, c.status, c.failed_step) for c in cells} == {
        ("gpt-4o", "completed", None),
        ("gemini-flash", "completed", None),
        ("sonar", "failed", "call_ai"),
    }
    assert (coverage["succeeded"], coverage["failed"]) == (6, 3)

    app_env(demo_db.url)  # Perplexity is back
    monkeypatch.setenv("AI_VISIBILITY_BREAKER_COOLDOWN_S", "0")  # its breaker lets a trial call through at once
    # dag.test on the same logical date clears every task of the run, as clearing the whole run does.
    second = dag.test(logical_date=when, run_after=when, run_conf=conf)
    assert second.state == "success"
    grid = {ti.rendered_map_index for ti in second.get_task_instances() if ti.task_id.startswith("process_cell.")}
    assert grid == set(GROUPS)
    with demo_db.transaction() as s:
        cells = s.scalars(select(QueueCell)).all()
        coverage = s.scalars(select(AnalyticsReport)).one().document["coverage"]
    # Only the failed cells were asked again; the completed ones kept their first answer.
    assert {(c.model_key, c.status, c.attempts) for c in cells} == {
        ("gpt-4o", "completed", 1),
        ("gemini-flash", "completed", 1),
        ("sonar", "completed", 2),
    }
    assert (coverage["succeeded"], coverage["failed"]) == (9, 0)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a refusal before any write: one database will do
def test_ecs_mode_refuses_groups_before_any_cell_is_queued(
    demo_db: Database, app_env: Callable[..., None], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    app_env(demo_db.url)
    monkeypatch.setenv("AI_VISIBILITY_EXECUTION", "ecs")
    dag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py")).dags["process_org"]
    run = dag.test(run_conf={"org_id": "brightpath", "cells_per_task": 5})
    assert run.state == "failed"
    assert "cells_per_task 5: groups of cells run in the Airflow worker" in capsys.readouterr().out
    with demo_db.transaction() as s:
        assert s.scalars(select(QueueCell)).all() == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the calls in flight do not depend on the database
def test_a_group_makes_no_more_ai_calls_at_once_than_the_pool_slots_it_holds(
    demo_db: Database,
    app_env: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    provider_pools: Callable[..., None],
) -> None:
    # Groups of 5 cells would make 5 calls at once (AI_VISIBILITY_AI_CONCURRENCY), but the provider's pool
    # has 2 slots: the instance holds 2, and the pool's limit holds only if the group makes 2 at a time.
    app_env(demo_db.url, latency_ms=300)  # calls overlap when they may
    provider_pools("ai_openai")  # 2 slots
    monkeypatch.setenv("AI_VISIBILITY_AI_CONCURRENCY", "5")
    lock, in_flight, peak = threading.Lock(), [0], [0]
    answer = Simulator.handle

    def counted(self: Simulator, *args: Any, **kwargs: Any) -> Any:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        try:
            return answer(self, *args, **kwargs)
        finally:
            with lock:
                in_flight[0] -= 1

    monkeypatch.setattr(Simulator, "handle", counted)
    dag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py")).dags["process_org"]
    conf = {"org_id": "brightpath", "models": ["gpt-4o"], "locations": ["US"], "cells_per_task": 5}

    run = dag.test(run_conf=conf)
    assert run.state == "success"
    calls = [ti for ti in run.get_task_instances() if ti.task_id == "process_cell.call_ai"]
    assert [(ti.rendered_map_index, ti.pool, ti.pool_slots) for ti in calls] == [("cells 1–5 · gpt-4o", "ai_openai", 2)]
    assert peak[0] == 2


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a limit set in the worker: one database will do
def test_each_group_runs_under_its_own_time_limit_when_its_instances_share_a_process(
    demo_db: Database,
    app_env: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
    provider_pools: Callable[..., None],
) -> None:
    """`_before_step` sets a group's limit on the task object it is given. Under dag.test every mapped
    instance runs in this process from the DAG's one operator, so were that object shared, a group run
    after a larger one would inherit (and multiply) its limit. Airflow gives each try a copy of the
    operator (`prepare_for_execution`), so each group's limit is its own cells' and the DAG keeps its."""
    app_env(demo_db.url)
    provider_pools("ai_openai")  # 2 slots: call_ai's groups make 2 calls at a time
    monkeypatch.setenv("AI_VISIBILITY_AI_CONCURRENCY", "2")
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "40")
    limits: dict[tuple[str, str], float] = {}
    run_group = step_tasks.run_group

    def recording(step: str, group: dict[str, Any], context: Any) -> dict[str, object]:
        from airflow.sdk import get_current_context

        timeout = get_current_context()["task"].execution_timeout
        limits[(step, group["label"])] = timeout.total_seconds() if timeout else 0
        return run_group(step, group, context)

    monkeypatch.setattr(step_tasks, "run_group", recording)
    dag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py")).dags["process_org"]
    # 5 cells of one model in groups of 3 and 2.
    conf = {"org_id": "brightpath", "models": ["gpt-4o"], "locations": ["US"], "cells_per_task": 3}

    run = dag.test(run_conf=conf)
    assert run.state == "success"
    steps = ("record_question_run", "extract_mentions", "extract_claims", "extract_citations", "calculate_metrics")
    assert limits == {
        # call_ai: one limit per round of 2 calls (3 cells: 2 rounds; 2 cells: 1).
        ("call_ai", "cells 1–3 · gpt-4o"): 80,
        ("call_ai", "cells 4–5 · gpt-4o"): 40,
        # the others run their cells one after another: one limit per cell.
        **{(step, "cells 1–3 · gpt-4o"): 120 for step in steps},
        **{(step, "cells 4–5 · gpt-4o"): 80 for step in steps},
    }
    for step in ("call_ai", *steps):
        assert dag.task_dict[f"process_cell.{step}"].execution_timeout == timedelta(seconds=40)
