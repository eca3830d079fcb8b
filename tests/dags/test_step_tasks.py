"""The step task adapter fails at once on what a retry cannot heal, and leaves the rest to Airflow's retries;
it tells a try a user cleared (which may make its provider's trial call at once) from an automatic retry;
it reads the app database's connection once per task."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.errors import ProviderCallFailed, ProviderUnavailable
from ai_visibility_airflow import step_tasks
from ai_visibility_airflow.step_tasks import fail_fast

UNAVAILABLE = (
    "provider perplexity unavailable: last error model 'sonar' via connection 'ai_simulator' failed with HTTP 500 "
    "after 4 attempts within 55s: Internal Server Error (3 failed calls in a row; its remaining calls in this run "
    "fail fast: clear the failed cells once the provider is back)"
)


def test_a_cell_whose_provider_breaker_is_open_fails_without_burning_retries() -> None:
    def call() -> None:
        raise ProviderUnavailable(UNAVAILABLE)

    with pytest.raises(AirflowFailException) as failed:
        fail_fast(call)
    assert str(failed.value) == UNAVAILABLE


def test_a_call_that_exhausted_its_own_retries_is_left_to_airflows_retries() -> None:
    def call() -> None:
        raise ProviderCallFailed("model 'sonar' via connection 'ai_simulator' failed with HTTP 500", kind="HTTP 500")

    with pytest.raises(ProviderCallFailed):
        fail_fast(call)


START = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("try_number", "max_tries", "cleared"),
    [
        (1, 2, False),  # the first try
        (2, 2, False),  # Airflow's automatic retry
        (3, 2, False),  # its last one
        (4, 3 + 2, True),  # cleared after try 3 failed: Airflow sets max_tries to 3 + retries
        (5, 3 + 2, False),  # the cleared task's own automatic retry
    ],
)
def test_a_try_a_user_cleared_is_told_from_an_automatic_retry(
    monkeypatch: pytest.MonkeyPatch, try_number: int, max_tries: int, cleared: bool
) -> None:
    ti = SimpleNamespace(try_number=try_number, max_tries=max_tries, task=SimpleNamespace(retries=2), start_date=START)
    monkeypatch.setattr(step_tasks, "get_current_context", lambda: {"ti": ti})
    assert step_tasks.cleared_at() == (START if cleared else None)


def test_a_step_task_resolves_the_app_database_connection_once(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    """The wait before the step's time limit and the step itself share one resolution of the connection
    (each is a request to the API server, or to a secrets backend, from every mapped task)."""
    from airflow.sdk import Connection

    from ai_visibility.db import Database
    from ai_visibility.demo import DEMO_ORG_FILE
    from ai_visibility.org_spec import read_org_file
    from ai_visibility.org_store import save_org
    from ai_visibility.settings import Settings
    from ai_visibility.steps.registry import run_step
    from tests.helpers import queue_cells, step_context

    db = Database(sqlite_url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    conf = {"org_id": "brightpath", "questions": ["best-crm-startups"], "models": ["gpt-4o"], "locations": ["US"]}
    (cell,) = queue_cells(db, conf, "manual__once")
    for step in ("call_ai", "record_question_run"):
        run_step(step, db, cell["cell_key"], step_context())
    database = json.dumps({"conn_type": "sqlite", "host": db.engine.url.database})
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", database)
    resolved: list[str] = []
    real_get = Connection.get

    def counting_get(conn_id: str) -> Any:
        resolved.append(conn_id)
        return real_get(conn_id)

    monkeypatch.setattr(Connection, "get", staticmethod(counting_get))
    operator = step_tasks.step_task("extract_mentions", Settings.from_env())(cell).operator
    ti = SimpleNamespace(try_number=1, max_tries=1, task=operator, start_date=START)
    context = {"ti": ti, "task": operator}
    monkeypatch.setattr(step_tasks, "get_current_context", lambda: context)

    operator._pre_execute_hook(context)
    result = operator.python_callable(cell=cell)
    assert result["cell_key"] == cell["cell_key"]
    assert resolved == ["ai_visibility_db"]
