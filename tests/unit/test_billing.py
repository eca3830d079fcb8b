"""The usage ledger of answer calls: a row written before the call, so that a call whose task is killed
in flight leaves one (the provider may have billed it); the cell's next call marks it interrupted, and
the analytics count it as a possibly billed call (each test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility.ai import client as client_module
from ai_visibility.ai.client import Exchange, ask
from ai_visibility.db import Database
from ai_visibility.db.models import QuestionRun, QueueCell, UsageEntry
from ai_visibility.errors import AnswerError, PermanentAIError, ProviderTimedOut
from ai_visibility.settings import ExtractionSettings
from ai_visibility.steps import call_ai as call_ai_module
from ai_visibility.steps.registry import STEP_NAMES, run_step
from tests.helpers import analytics_document, queue_cells, simulator_endpoints, step_context

ONE_CELL = {"org_id": "brightpath", "questions": ["best-crm-startups"], "models": ["gpt-4o"], "locations": ["US"]}


def one_cell(db: Database) -> str:
    return queue_cells(db, ONE_CELL, "manual__ledger")[0]["cell_key"]


def ledger(db: Database, cell_key: str) -> list[tuple[int, int, str, float]]:
    with db.transaction() as s:
        rows = s.scalars(select(UsageEntry).where(UsageEntry.cell_key == cell_key)).all()
        return sorted((r.attempt, r.seq, r.status, r.cost_usd) for r in rows)


def analytics_cost(db: Database, cell_key: str) -> dict[str, Any]:
    """The cost block of the analytics of the cell's queue, generated as the DAG does after its cells."""
    with db.transaction() as s:
        queue_id = s.scalars(select(QueueCell.queue_id).where(QueueCell.key == cell_key)).one()
    return dict(analytics_document(db, queue_id)["cost"])


def test_the_ledger_row_is_committed_before_the_call_and_billed_when_the_answer_comes(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_key = one_cell(demo_db)
    seen_during_the_call: list[list[tuple[int, int, str, float]]] = []

    def watching(*args: Any, **kwargs: Any) -> Exchange:
        seen_during_the_call.append(ledger(demo_db, cell_key))  # from another transaction
        return ask(*args, **kwargs)

    monkeypatch.setattr(call_ai_module, "ask", watching)
    run_step("call_ai", demo_db, cell_key, step_context())
    assert seen_during_the_call == [[(1, 1, "in_flight", 0.0)]]
    [(attempt, seq, status, cost)] = ledger(demo_db, cell_key)
    assert (attempt, seq, status) == (1, 1, "billed") and cost > 0


def _killed_in_flight(url: str, cell_key: str) -> None:
    """A task process whose AI call is in flight when it is SIGKILLed: nothing after the kill runs."""
    db = Database(url)
    db.engine.dispose(close=False)  # the parent's pooled connections are not this process's

    def killed(*_args: Any, **_kwargs: Any) -> Exchange:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    pytest.MonkeyPatch().setattr(call_ai_module, "ask", killed)
    run_step("call_ai", db, cell_key, step_context())


def test_a_call_killed_in_flight_leaves_its_row_and_the_retry_marks_it_interrupted(demo_db: Database) -> None:
    cell_key = one_cell(demo_db)
    child = multiprocessing.get_context("fork").Process(target=_killed_in_flight, args=(demo_db.url, cell_key))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    assert ledger(demo_db, cell_key) == [(1, 1, "in_flight", 0.0)]  # the provider may have billed it

    for step in STEP_NAMES:  # the retry: a new attempt, answered
        run_step(step, demo_db, cell_key, step_context())
    (first, second) = ledger(demo_db, cell_key)
    assert first == (1, 1, "interrupted", 0.0)  # kept, not deleted
    assert second[:3] == (2, 1, "billed") and second[3] > 0
    with demo_db.transaction() as s:
        run = s.get(QuestionRun, cell_key)
    assert run is not None and run.cost_usd == second[3]  # the run's cost is its billed call's
    cost = analytics_cost(demo_db, cell_key)
    # The interrupted call counts as a (possibly billed) call; its cost is unknown, so not in the spend.
    assert cost["calls"] == 2 and cost["spent_usd"] == pytest.approx(second[3])


class AirflowTaskTimeout(BaseException):
    """What Airflow raises inside a task at its `execution_timeout` (matched by name, as the steps do)."""


@pytest.mark.parametrize(
    ("failure", "left"),
    [
        (ProviderTimedOut("model 'gpt-4o-search-preview' did not answer within 10s (1 attempts)", kind="timeout"),
         [(1, 1, "interrupted", 0.0)]),
        (AirflowTaskTimeout(), [(1, 1, "interrupted", 0.0)]),
        (PermanentAIError("model 'gpt-4o-search-preview' was rejected with HTTP 401"), []),
    ],
    ids=["timed out: possibly billed", "stopped at the step's limit: possibly billed", "rejected: not billed"],
)  # fmt: skip
def test_a_call_that_raises_leaves_an_interrupted_row_only_when_it_may_have_been_billed(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, failure: BaseException, left: list[object]
) -> None:
    cell_key = one_cell(demo_db)

    def failing(*_args: Any, **_kwargs: Any) -> Exchange:
        raise failure

    monkeypatch.setattr(call_ai_module, "ask", failing)
    with pytest.raises(type(failure)):
        run_step("call_ai", demo_db, cell_key, step_context())
    assert ledger(demo_db, cell_key) == left


def test_a_provider_error_leaves_no_row_and_the_retry_bills_once(demo_db: Database) -> None:
    cell_key = one_cell(demo_db)
    with pytest.raises(PermanentAIError):
        run_step("call_ai", demo_db, cell_key, step_context(simulator_endpoints(fail="http_401")))
    assert ledger(demo_db, cell_key) == []
    run_step("call_ai", demo_db, cell_key, step_context())
    assert [row[:3] for row in ledger(demo_db, cell_key)] == [(2, 1, "billed")]


def test_an_extraction_call_is_in_the_ledger_before_it_is_made_and_billed_when_it_answers(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cell_key = one_cell(demo_db)
    context = step_context(extraction=ExtractionSettings(mode="llm", conn_id="ai_simulator", api_model="gpt-4o-mini"))
    for step in STEP_NAMES[:2]:
        run_step(step, demo_db, cell_key, context)
    seen_during_the_call: list[list[tuple[str, str]]] = []

    def watching(*args: Any, **kwargs: Any) -> Exchange:
        with demo_db.transaction() as s:
            rows = s.scalars(select(UsageEntry).where(UsageEntry.cell_key == cell_key)).all()
            seen_during_the_call.append(sorted((r.purpose, r.status) for r in rows))
        return ask(*args, **kwargs)

    monkeypatch.setattr(client_module, "ask", watching)
    run_step("extract_mentions", demo_db, cell_key, context)
    assert seen_during_the_call == [[("answer", "billed"), ("mentions", "in_flight")]]
    with demo_db.transaction() as s:
        mentions = s.scalars(select(UsageEntry).where(UsageEntry.purpose == "mentions")).one()
    assert (mentions.status, mentions.api_model) == ("billed", "gpt-4o-mini") and mentions.cost_usd > 0


@pytest.mark.parametrize(
    ("fail", "why"),
    [
        ("malformed", "not JSON"),  # a 200 whose JSON body was cut off
        ("html", "a text/html page"),  # a 200 from a gateway in front of the engine, not from the engine
    ],
)
def test_a_200_whose_body_is_not_a_response_is_recorded_as_possibly_billed(
    demo_db: Database, fail: str, why: str
) -> None:
    """The engine answered HTTP 200: it may well have billed the call, even though what came back
    cannot be read. The ledger keeps the call (cost unknown), counted like an interrupted one."""
    cell_key = one_cell(demo_db)
    with pytest.raises(AnswerError) as failed:
        run_step("call_ai", demo_db, cell_key, step_context(simulator_endpoints(fail=fail)))
    message = str(failed.value)
    assert "answered HTTP 200 with a body that is not a response" in message and why in message
    assert "may have billed" in message
    assert ledger(demo_db, cell_key) == [(1, 1, "unreadable", 0.0)]

    for step in STEP_NAMES:  # Airflow's retry: answered this time
        run_step(step, demo_db, cell_key, step_context())
    (unreadable, billed) = ledger(demo_db, cell_key)
    assert unreadable == (1, 1, "unreadable", 0.0) and billed[:3] == (2, 1, "billed")
    cost = analytics_cost(demo_db, cell_key)
    assert cost["calls"] == 2 and cost["spent_usd"] == pytest.approx(billed[3])
