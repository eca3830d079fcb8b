"""What a cell records when its step fails: a step the orchestrator stopped at its time limit names
the limit and the step, not the orchestrator's exception (each test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from ai_visibility.db import Database
from ai_visibility.db.models import QuestionRun, QueueCell
from ai_visibility.steps import call_ai, extract_mentions
from ai_visibility.steps.cell_status import track_step
from ai_visibility.steps.registry import run_step
from tests.helpers import queue_cells, step_context


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
