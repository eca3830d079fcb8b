"""Faults on the real scheduler: task processes and the scheduler killed mid-run, the app database
out of reach, runs of one org at once. Each run ends correct: its rows are those of an undisturbed
run of the same conf, one latest run per cell, one ledger row per AI call that was or may have been
billed.

Every run here asks at DE-berlin, which the other operations tests never ask, so their latest flags
are not taken over by these runs (nor the reverse).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import airflow_client.client as af
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection

from ai_visibility import keys
from ai_visibility.db.models import AnalyticsReport, ProcessingQueue, QuestionRun, QueueCell, UsageEntry
from tests.helpers import cell_row_counts, queue_row_counts
from tests.operations.conftest import Stack

pytestmark = pytest.mark.operations
QUESTION = "crm-small-sales-team"
REFERENCE: dict[str, Any] = {"org_id": "brightpath", "questions": [QUESTION], "locations": ["DE-berlin"]}
MODELS = ("gpt-4o", "sonar", "gemini-flash")


def trigger(stack: Stack, conf: dict[str, Any], dag_id: str = "process_org", **body: object) -> str:
    run = af.DagRunApi(stack.client).trigger_dag_run(
        dag_id, af.TriggerDAGRunPostBody(logical_date=None, conf=conf, **body)
    )
    return str(run.dag_run_id)


def cells_by_model(stack: Stack, run_id: str, org_id: str = "brightpath") -> dict[str, QueueCell]:
    with stack.app_db.transaction() as s:
        cells = s.scalars(select(QueueCell).where(QueueCell.queue_id == keys.queue_id(org_id, run_id))).all()
        for cell in cells:
            s.expunge(cell)
    return {c.model_key: c for c in cells}


@pytest.fixture(scope="module")
def reference(stack: Stack) -> dict[str, dict[str, int]]:
    """The rows of each cell of an undisturbed run of `REFERENCE` (one cell per model), by model."""
    run_id = trigger(stack, REFERENCE)
    assert stack.wait_for_run(run_id, timeout_s=300).state == "success"
    return {model: cell_row_counts(stack.app_db, [cell.key]) for model, cell in cells_by_model(stack, run_id).items()}


def task_instance(stack: Stack, run_id: str, task_id: str, timeout_s: float = 120) -> af.TaskInstanceResponse:
    """The task's (only) mapped instance once it is running."""
    tis = af.TaskInstanceApi(stack.client)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = tis.get_mapped_task_instances("process_org", run_id, task_id).task_instances
        running = [ti for ti in found if ti.state == "running"]
        if running:
            return running[0]
        time.sleep(0.2)
    raise TimeoutError(f"{task_id} of {run_id} did not start within {timeout_s:g}s")


def task_process(ti: af.TaskInstanceResponse, timeout_s: float = 30) -> int:
    """The pid of the process that runs the task instance's code (titled `airflow worker -- <ti id>`)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        table = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
        for line in table.splitlines():
            pid, _, args = line.strip().partition(" ")
            if f"airflow worker -- {ti.id}" in args:
                return int(pid)
        time.sleep(0.2)
    raise TimeoutError(f"no process runs task instance {ti.id}")


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout_s:g}s")
        time.sleep(0.05)


def attempts(stack: Stack, run_id: str, task_id: str) -> list[tuple[str | None, int]]:
    tis = af.TaskInstanceApi(stack.client).get_mapped_task_instances("process_org", run_id, task_id).task_instances
    return [(ti.state, ti.try_number) for ti in tis]


def ledger(stack: Stack, cell_key: str) -> list[tuple[str, int, int, str]]:
    with stack.app_db.transaction() as s:
        rows = s.scalars(select(UsageEntry).where(UsageEntry.cell_key == cell_key)).all()
        return sorted((r.purpose, r.attempt, r.seq, r.status) for r in rows)


def assert_rows_of_an_undisturbed_run(
    stack: Stack, cells: dict[str, QueueCell], reference: dict[str, dict[str, int]]
) -> None:
    """The cells' rows are the reference's, but for the ledger: a call whose task was killed or whose
    write failed after the answer came may have been billed and then asked again (a paid call each),
    and keeps its row, billed or (never reported back) interrupted, none left in flight. Each attempt
    has at most one answer call, and the attempt that completed the cell billed it."""
    assert {m: {**cell_row_counts(stack.app_db, [c.key]), "usage_ledger": 1} for m, c in cells.items()} == reference
    for cell in cells.values():
        rows = ledger(stack, cell.key)
        assert ("answer", cell.attempts, 1, "billed") in rows
        assert all(
            purpose == "answer" and seq == 1 and 1 <= attempt <= cell.attempts and status in ("billed", "interrupted")
            for purpose, attempt, seq, status in rows
        )


def task_logs(stack: Stack, run_id: str) -> list[Path]:
    """Every attempt's log of the run's tasks, as the worker wrote them under `$AIRFLOW_HOME/logs`."""
    runs = stack.airflow.home / "logs" / "dag_id=process_org"
    return [log for run in runs.iterdir() if run.name == f"run_id={run_id}" for log in run.rglob("attempt=*.log")]


@pytest.fixture
def slow_answers(stack: Stack) -> Iterator[None]:
    """Each answer takes 2 s (the AI call's deadline is 3 s), long enough to be caught mid-call."""
    stack.simulator.simulator.config["latency_ms"] = 2000
    try:
        yield
    finally:
        stack.simulator.simulator.config.clear()


def test_a_task_killed_during_its_ai_call_is_retried_and_its_cell_completes_once(
    stack: Stack, reference: dict[str, dict[str, int]], slow_answers: None
) -> None:
    before = stack.simulator.simulator.requests
    run_id = trigger(stack, {**REFERENCE, "models": ["gpt-4o"]})
    process = task_process(task_instance(stack, run_id, "process_cell.call_ai"))
    wait_until(lambda: stack.simulator.simulator.requests > before, "the AI request")
    os.kill(process, signal.SIGKILL)  # the answer is on its way; the task never gets it

    assert stack.wait_for_run(run_id, timeout_s=240).state == "success"
    assert attempts(stack, run_id, "process_cell.call_ai") == [("success", 2)]
    cell = cells_by_model(stack, run_id)["gpt-4o"]
    assert (cell.status, cell.attempts) == ("completed", 2)
    # The killed call stored no answer but left its ledger row (the provider may have billed it),
    # which the retry found in flight and marked interrupted; the retry's call is billed.
    assert ledger(stack, cell.key) == [("answer", 1, 1, "interrupted"), ("answer", 2, 1, "billed")]
    assert cell_row_counts(stack.app_db, [cell.key]) == {**reference["gpt-4o"], "usage_ledger": 2}


@contextlib.contextmanager
def locked_run(stack: Stack, cell_key: str) -> Iterator[Connection]:
    """Hold the cell's question run FOR UPDATE: every write of an extraction row (whose foreign key
    takes a share lock on it) waits until the lock is released."""
    engine = create_engine(stack.app_db.url)
    try:
        with engine.connect() as conn, conn.begin() as tx:
            conn.execute(text("SELECT id FROM question_runs WHERE id = :id FOR UPDATE"), {"id": cell_key})
            yield conn
            tx.rollback()
    finally:
        engine.dispose()


def test_a_task_killed_during_an_extraction_write_rolls_it_back_and_its_retry_writes_it_once(
    stack: Stack, reference: dict[str, dict[str, int]]
) -> None:
    run_id = trigger(stack, {**REFERENCE, "models": ["gemini-flash"]})
    wait_until(lambda: bool(cells_by_model(stack, run_id)), "the queue")
    cell = cells_by_model(stack, run_id)["gemini-flash"]

    def recorded() -> bool:
        with stack.app_db.transaction() as s:
            return s.get(QuestionRun, cell.key) is not None

    wait_until(recorded, "record_question_run", timeout_s=120)
    with locked_run(stack, cell.key):
        ti = task_instance(stack, run_id, "process_cell.extract_mentions")
        process = task_process(ti)

        def writing() -> bool:
            # In a transaction of its own: within one, pg_stat_activity shows its first snapshot.
            with stack.app_db.transaction() as s:
                waiting = s.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND query ILIKE 'INSERT INTO mentions%'"
                    )
                )
                return bool(waiting.scalar())

        wait_until(writing, "extract_mentions' write", timeout_s=30)
        os.kill(process, signal.SIGKILL)  # in the middle of its transaction: old rows deleted, new ones waiting

    assert stack.wait_for_run(run_id, timeout_s=240).state == "success"
    assert attempts(stack, run_id, "process_cell.extract_mentions") == [("success", 2)]
    cell = cells_by_model(stack, run_id)["gemini-flash"]
    assert (cell.status, cell.attempts) == ("completed", 1)  # the answer was not asked again
    assert ledger(stack, cell.key) == [("answer", 1, 1, "billed")]
    assert cell_row_counts(stack.app_db, [cell.key]) == reference["gemini-flash"]


def test_a_scheduler_killed_mid_run_is_restarted_and_the_run_ends_as_an_undisturbed_one(
    stack: Stack, reference: dict[str, dict[str, int]], slow_answers: None
) -> None:
    supervisor = stack.airflow.supervisor
    assert supervisor is not None
    run_id = trigger(stack, REFERENCE)
    task_instance(stack, run_id, "process_cell.call_ai")  # cells are in flight
    scheduler = supervisor.pids()["scheduler"]
    os.kill(scheduler, signal.SIGKILL)
    # The supervisor ends the dead scheduler's workers and starts a new scheduler, which resets the
    # orphaned tasks once the old one has been silent for its health threshold.
    wait_until(lambda: supervisor.pids().get("scheduler", scheduler) != scheduler, "the restart", 30)

    assert stack.wait_for_run(run_id, timeout_s=420).state == "success"
    cells = cells_by_model(stack, run_id)
    assert {c.status for c in cells.values()} == {"completed"}
    assert_rows_of_an_undisturbed_run(stack, cells, reference)


def test_the_app_database_out_of_reach_for_20_s_heals_by_itself_and_the_run_ends_as_an_undisturbed_one(
    stack: Stack, reference: dict[str, dict[str, int]], slow_answers: None
) -> None:
    run_id = trigger(stack, REFERENCE)
    task_instance(stack, run_id, "process_cell.call_ai")
    stack.app_db_proxy.cut()
    try:
        time.sleep(20)
    finally:
        stack.app_db_proxy.restore()
    # No one clears anything: the steps wait for the database (before their time limit starts, up to
    # 45 s), and those it failed meanwhile heal on their retry.
    assert stack.wait_for_run(run_id, timeout_s=300).state == "success"
    logs = [p.read_text(errors="replace") for p in task_logs(stack, run_id)]
    waited = f"app database unreachable at 127.0.0.1:{stack.app_db_proxy.port}, retrying (1/8)"
    assert any(waited in log for log in logs)
    cells = cells_by_model(stack, run_id)
    assert {c.status for c in cells.values()} == {"completed"}
    assert_rows_of_an_undisturbed_run(stack, cells, reference)
    queue = keys.queue_id("brightpath", run_id)
    with stack.app_db.transaction() as s:
        report = s.get(AnalyticsReport, queue)
    assert report is not None and report.document["coverage"]["succeeded"] == len(MODELS)


def test_two_runs_of_one_org_at_once_and_a_scheduled_run_beside_a_manual_one_end_consistent(
    stack: Stack, reference: dict[str, dict[str, int]]
) -> None:
    manual = [trigger(stack, REFERENCE), trigger(stack, REFERENCE)]
    # A Wednesday's schedule_orgs run triggers tinyco (daily) while a manual tinyco run is under way.
    cron = trigger(stack, {}, "schedule_orgs", run_after="2026-11-25T06:00:00Z")
    tiny_manual = trigger(stack, {"org_id": "tinyco"})
    assert stack.wait_for_run(cron, "schedule_orgs").state == "success"
    scheduled = "scheduled__tinyco__2026-11-25"
    runs = {"brightpath": manual, "tinyco": [tiny_manual, scheduled]}
    for org_runs in runs.values():
        assert [stack.wait_for_run(r, timeout_s=300).state for r in org_runs] == ["success", "success"]

    for org_id, org_runs in runs.items():
        queues = [keys.queue_id(org_id, r) for r in org_runs]
        counts = [queue_row_counts(stack.app_db, q) for q in queues]
        assert counts[0] == counts[1] and counts[0]["analytics_reports"] == counts[0]["pushes"] == 1
        cell = (QuestionRun.question_key, QuestionRun.model_key, QuestionRun.location_key)
        with stack.app_db.transaction() as s:
            identities = set(
                s.execute(
                    select(QueueCell.question_key, QueueCell.model_key, QueueCell.location_key).where(
                        QueueCell.queue_id.in_(queues)
                    )
                ).all()
            )
            flagged = s.execute(
                select(*cell, QuestionRun.queue_id).where(QuestionRun.org_id == org_id, QuestionRun.is_latest.is_(True))
            ).all()
            holders = [(tuple(row[:3]), row[3]) for row in flagged if tuple(row[:3]) in identities]
            created = {q: s.scalar(select(ProcessingQueue.created_at).where(ProcessingQueue.id == q)) for q in queues}
            reports = {q: s.get(AnalyticsReport, q) for q in queues}
        assert sorted(i for i, _ in holders) == sorted(identities)  # one latest run per cell
        newer = max(queues, key=lambda q: (created[q], q))
        assert {q for _, q in holders} == {newer}  # the newer queue holds every flag, never a mix
        for queue, report in reports.items():
            assert report is not None and report.document["queue"]["id"] == queue
            assert report.document["coverage"]["failed"] == 0
            pushed = list((stack.output / org_id / queue).rglob("analytics.json"))
            assert len(pushed) == 1
