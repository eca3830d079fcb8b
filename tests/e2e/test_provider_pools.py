"""Each cell's AI call lands in its provider's pool, through the cluster policy Airflow loads itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from ai_visibility.db import Database

pytestmark = pytest.mark.e2e
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}
GPT = "Which CRM is best for startups? · gpt-4o · US"
SONAR = "Which CRM is best for startups? · Perplexity Sonar · US"
GEMINI = "Which CRM is best for startups? · Gemini 2.5 Flash · US"


def pools_of(run: Any) -> dict[str, dict[str, str]]:
    """Pool of every cell step, by step and grid label."""
    found: dict[str, dict[str, str]] = {}
    for ti in run.get_task_instances():
        if ti.task_id.startswith("process_cell."):
            found.setdefault(ti.task_id.removeprefix("process_cell."), {})[ti.rendered_map_index] = ti.pool
    return found


def test_each_ai_call_waits_in_its_providers_pool_and_keeps_it_on_a_rerun(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, provider_pools: Callable[..., None]
) -> None:
    app_env(demo_db.url)
    provider_pools("ai_openai", "ai_perplexity", "ai_gemini")
    when = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)
    first = process_org.test(logical_date=when, run_after=when, run_conf=CONF)
    assert first.state == "success"
    expected = {GPT: "ai_openai", SONAR: "ai_perplexity", GEMINI: "ai_gemini"}
    assert pools_of(first)["call_ai"] == expected
    # Only the AI call is throttled per provider: the other steps make no call to it.
    assert {pool for step, cells in pools_of(first).items() if step != "call_ai" for pool in cells.values()} == {
        "default_pool"
    }
    # dag.test on the same logical date clears the run's tasks, which refreshes them from the DAG.
    again = process_org.test(logical_date=when, run_after=when, run_conf=CONF)
    assert again.state == "success" and pools_of(again)["call_ai"] == expected


def test_a_provider_without_a_pool_still_runs_in_the_tasks_own_pool(
    demo_db: Database,
    app_env: Callable[..., None],
    process_org: Any,
    provider_pools: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    app_env(demo_db.url)
    provider_pools("ai_openai", "ai_perplexity")
    run = process_org.test(run_conf=CONF)
    assert run.state == "success"
    assert pools_of(run)["call_ai"] == {GPT: "ai_openai", SONAR: "ai_perplexity", GEMINI: "default_pool"}
    assert "pool 'ai_gemini' does not exist" in caplog.text
    assert "airflow pools set ai_gemini" in caplog.text
