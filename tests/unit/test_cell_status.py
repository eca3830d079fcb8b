"""A cell's status as its steps run (each test runs on SQLite and PostgreSQL): its question run agrees
with it once it completes, whatever failed on the way; a sibling's failure is not hidden; a step the
orchestrator stopped at its time limit names the limit and the step."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.models import QuestionRun, QueueCell
from ai_visibility.steps import call_ai, extract_mentions
from ai_visibility.steps.cell_status import record_failure_from_outside, track_step
from ai_visibility.steps.registry import STEP_NAMES, run_step
from tests.helpers import queue_cells, run_cell, simulator_endpoints, step_context


def sonar_cell(db: Database) -> str:
    conf = {"org_id": "brightpath", "questions": ["affordable-crm"], "models": ["sonar"], "locations": ["US"]}
    return queue_cells(db, conf, "manual__retry")[0]["cell_key"]


def run_and_cell(db: Database, key: str) -> tuple[QuestionRun, QueueCell]:
    with db.transaction() as s:
        run, cell = s.get(QuestionRun, key), s.get(QueueCell, key)
    assert run is not None and cell is not None
    return run, cell


def test_a_retried_step_that_succeeds_completes_the_run_it_had_failed(demo_db: Database) -> None:
    key = sonar_cell(demo_db)
    for step in STEP_NAMES[:2]:
        run_step(step, demo_db, key, step_context())
    with pytest.raises(RuntimeError), track_step(demo_db, key, "extract_mentions"):
        raise RuntimeError("mentions extractor ran out of memory")
    run, cell = run_and_cell(demo_db, key)
    assert (run.status, cell.status) == ("failed", "failed")
    for step in STEP_NAMES[2:]:  # Airflow retries the step, then its downstream steps run
        run_step(step, demo_db, key, step_context())
    run, cell = run_and_cell(demo_db, key)
    assert (cell.status, cell.error) == ("completed", None)
    assert (run.status, run.error) == ("answered", None)


def test_a_new_attempt_after_a_failed_ai_call_leaves_no_failed_run_behind(demo_db: Database) -> None:
    key = sonar_cell(demo_db)
    run_cell(demo_db, key)
    with pytest.raises(ConnectionError):  # cleared; Perplexity answers HTTP 500 this time
        run_step(
            "call_ai", demo_db, key, step_context(simulator_endpoints(fail="http_500", fail_models=["sonar"]), 1.5)
        )
    run, _ = run_and_cell(demo_db, key)
    assert run.status == "failed" and "HTTP 500" in (run.error or "")
    run_cell(demo_db, key)
    run, cell = run_and_cell(demo_db, key)
    assert (cell.status, cell.attempts) == ("completed", 3)
    assert (run.status, run.error) == ("answered", None)


def test_a_failure_recorded_from_outside_fails_the_run_until_the_cell_completes(demo_db: Database) -> None:
    key = sonar_cell(demo_db)
    run_cell(demo_db, key)
    assert record_failure_from_outside(demo_db, key, "extract_claims", "ECS task stopped: OutOfMemoryError")
    run, cell = run_and_cell(demo_db, key)
    assert (cell.status, run.status, run.error) == ("failed", "failed", "ECS task stopped: OutOfMemoryError")
    for step in ("extract_claims", "calculate_metrics"):
        run_step(step, demo_db, key, step_context())
    run, cell = run_and_cell(demo_db, key)
    assert (cell.status, run.status, run.error) == ("completed", "answered", None)
    with demo_db.transaction() as s:
        assert s.scalar(select(QuestionRun.is_latest).where(QuestionRun.id == key)) is False


def test_the_last_step_does_not_hide_a_sibling_failure_that_was_never_rerun(demo_db: Database) -> None:
    key = sonar_cell(demo_db)
    run_cell(demo_db, key)
    with pytest.raises(RuntimeError), track_step(demo_db, key, "extract_claims"):
        raise RuntimeError("claims extractor crashed")
    # Only calculate_metrics is cleared in the UI: the claims are still missing for this attempt.
    assert run_step("calculate_metrics", demo_db, key, step_context())["completed"] is False
    run, cell = run_and_cell(demo_db, key)
    assert (cell.status, cell.failed_step, run.status) == ("failed", "extract_claims", "failed")
    for step in ("extract_claims", "calculate_metrics"):
        run_step(step, demo_db, key, step_context())
    run, cell = run_and_cell(demo_db, key)
    assert (cell.status, run.status) == ("completed", "answered")


class AirflowTaskTimeout(BaseException):
    """Shaped like the exception Airflow's `execution_timeout` raises inside a task."""


def stopped_at_the_limit(*_: Any, **__: Any) -> Any:
    raise AirflowTaskTimeout("Timeout, PID: 1234")


def one_cell(db: Database) -> str:
    conf = {"org_id": "brightpath", "questions": ["best-crm-startups"], "models": ["gpt-4o"], "locations": ["US"]}
    return queue_cells(db, conf, "manual__1")[0]["cell_key"]


def test_a_call_stopped_at_the_step_limit_records_the_limit_and_the_step(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_key = one_cell(demo_db)
    monkeypatch.setattr(call_ai, "ask", stopped_at_the_limit)  # an engine that hangs past its deadline
    with pytest.raises(AirflowTaskTimeout):
        run_step("call_ai", demo_db, cell_key, replace(step_context(), step_timeout_s=60))
    with demo_db.transaction() as s:
        cell = s.get(QueueCell, cell_key)
        assert cell is not None
        assert (cell.status, cell.failed_step, cell.error) == ("failed", "call_ai", "timed out after 60 s in call_ai")


def test_an_extraction_stopped_at_the_limit_records_it_on_the_question_run_too(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_key, context = one_cell(demo_db), replace(step_context(), step_timeout_s=45)
    run_step("call_ai", demo_db, cell_key, context)
    run_step("record_question_run", demo_db, cell_key, context)
    monkeypatch.setattr(extract_mentions, "extract_with", stopped_at_the_limit)
    with pytest.raises(AirflowTaskTimeout):
        run_step("extract_mentions", demo_db, cell_key, context)
    with demo_db.transaction() as s:
        cell, run = s.get(QueueCell, cell_key), s.get(QuestionRun, cell_key)
        assert cell is not None and run is not None
        assert cell.error == run.error == "timed out after 45 s in extract_mentions"


def test_without_the_limit_a_stopped_step_still_says_it_timed_out(demo_db: Database) -> None:
    cell_key = one_cell(demo_db)
    with pytest.raises(AirflowTaskTimeout), track_step(demo_db, cell_key, "call_ai", first=True):
        raise AirflowTaskTimeout("Timeout, PID: 1234")
    with demo_db.transaction() as s:
        cell = s.get(QueueCell, cell_key)
        assert cell is not None and cell.error == "timed out in call_ai"
