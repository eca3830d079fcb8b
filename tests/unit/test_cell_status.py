"""A cell's question run agrees with the cell once the cell completes, whatever failed on the way."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.models import QuestionRun, QueueCell
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
