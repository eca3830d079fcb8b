"""End-to-end runs of `reprocess_org` with Airflow's own runner, after a narrowed `process_org` run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from ai_visibility.db import Database
from ai_visibility.db.models import ProcessingQueue, Push, QueueCell, RunMetrics
from ai_visibility.extraction.version import EXTRACTION_VERSION
from tests.e2e.conftest import ROOT, states
from tests.helpers import row_counts, schema_errors, stored_state
from tests.webhook_receiver import SECRET, TOKEN, running_receiver

pytestmark = pytest.mark.e2e
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}


@pytest.fixture
def reprocess_org() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags" / "reprocess_org.py"))
    assert bag.import_errors == {}
    return bag.dags["reprocess_org"]


def processed_queue(db: Database, app_env: Callable[..., None], process_org: Any) -> str:
    """The id of the demo queue a successful process_org run leaves, the app's env set to `db`."""
    app_env(db.url)
    assert process_org.test(run_conf=CONF).state == "success"
    with db.transaction() as s:
        return str(s.scalars(select(ProcessingQueue.id)).one())


def test_reprocessing_a_queue_twice_rewrites_its_extraction_offline_and_changes_no_row_counts(
    demo_db: Database,
    app_env: Callable[..., None],
    process_org: Any,
    reprocess_org: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queue = processed_queue(demo_db, app_env, process_org)
    with demo_db.transaction() as s:
        labels = set(s.scalars(select(QueueCell.label)))
        s.execute(update(RunMetrics).values(extraction_version=None))  # as a release before versioning left it
    counts, state = row_counts(demo_db), stored_state(demo_db)

    # Every AI call would fail, and the settings ask for the extraction model: neither is used.
    app_env(demo_db.url, fail="http_500")
    monkeypatch.setenv("AI_VISIBILITY_EXTRACTION_MODE", "llm")
    monkeypatch.setenv("AI_VISIBILITY_EXTRACTION_CONN_ID", "ai_simulator")
    monkeypatch.setenv("AI_VISIBILITY_EXTRACTION_MODEL", "gpt-4o-mini")
    for _ in range(2):
        run = reprocess_org.test(run_conf={"org_id": "brightpath", "queues": [queue]})
        assert run.state == "success"
        assert row_counts(demo_db) == counts and stored_state(demo_db) == state
    by_task = states(run)
    assert (
        sum(1 for (task, _), s in by_task.items() if task == "reextract_cell.calculate_metrics" and s == "success") == 3
    )
    grid = {ti.rendered_map_index for ti in run.get_task_instances() if ti.task_id.startswith("reextract_cell.")}
    assert grid == labels
    assert {ti.rendered_map_index for ti in run.get_task_instances() if ti.task_id.startswith("refresh_queue.")} == {
        queue
    }
    with demo_db.transaction() as s:
        assert set(s.scalars(select(RunMetrics.extraction_version))) == {EXTRACTION_VERSION}
    pushed = list((tmp_path / "output").rglob("*.json"))
    assert len(pushed) == 1
    document = json.loads(pushed[0].read_text())
    assert document["extraction_versions"] == [EXTRACTION_VERSION] and schema_errors(document) == []


def test_a_conf_selecting_nothing_fails_the_plan_naming_the_fix(
    demo_db: Database, app_env: Callable[..., None], reprocess_org: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app_env(demo_db.url)
    run = reprocess_org.test(run_conf={"org_id": "brightpath", "since": "2026-11-09", "until": "2026-11-02"})
    assert run.state == "failed"
    assert "conf.since 2026-11-09 is after conf.until 2026-11-02: swap them" in capsys.readouterr().out
    assert states(run)[("plan_reprocess", -1)] == "failed"


def test_reprocessing_pushes_the_new_document_to_a_webhook_signed_with_its_connections_secret(
    demo_db: Database,
    app_env: Callable[..., None],
    process_org: Any,
    reprocess_org: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queue = processed_queue(demo_db, app_env, process_org)  # pushed to a folder only
    with demo_db.transaction() as s:
        s.execute(update(RunMetrics).values(extraction_version=None))  # extracted before versioning
    with running_receiver() as receiver:
        monkeypatch.setenv(
            "AIRFLOW_CONN_AI_VISIBILITY_WEBHOOK",
            json.dumps(
                {"conn_type": "http", "host": f"{receiver.base}/hooks/{TOKEN}?token={TOKEN}", "password": SECRET}
            ),
        )
        monkeypatch.setenv("AI_VISIBILITY_PUSH_TO", "webhook:ai_visibility_webhook")
        run = reprocess_org.test(run_conf={"org_id": "brightpath", "queues": [queue]})
    assert run.state == "success"
    (got,) = receiver.received
    assert got["verified"] and got["path"] == f"/hooks/{TOKEN}?token={TOKEN}"
    document = got["body"]
    assert document["queue"]["id"] == queue and document["extraction_versions"] == [EXTRACTION_VERSION]
    assert schema_errors(document) == []
    assert got["headers"]["idempotency-key"] == f"{queue}:{hashlib.sha256(got['raw']).hexdigest()}"
    with demo_db.transaction() as s:
        pushes = {(p.destination, p.status, p.http_status) for p in s.scalars(select(Push))}
    assert ("webhook:ai_visibility_webhook", "pushed", 202) in pushes


def test_a_failed_reprocess_is_alerted_with_its_queues_and_the_runs_that_failed(
    demo_db: Database,
    app_env: Callable[..., None],
    process_org: Any,
    reprocess_org: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # reprocess_org has no queue of its own: its alert names the queues it planned and, of their
    # answered runs, the ones whose re-extraction failed, and at which step.
    from ai_visibility.errors import InputError
    from ai_visibility.steps.cell_status import answered_run

    queue = processed_queue(demo_db, app_env, process_org)
    with demo_db.transaction() as s:
        sonar = s.scalars(select(QueueCell.key).where(QueueCell.label.contains("Perplexity Sonar"))).one()

    def unreadable_for_sonar(s: Any, cell_key: str) -> Any:
        if cell_key == sonar:
            raise InputError("the stored answer cannot be re-extracted")
        return answered_run(s, cell_key)

    monkeypatch.setattr("ai_visibility.steps.extract_claims.answered_run", unreadable_for_sonar)
    with running_receiver() as receiver:
        monkeypatch.setenv(
            "AIRFLOW_CONN_AI_VISIBILITY_ALERTS", json.dumps({"conn_type": "http", "host": f"{receiver.base}/alerts"})
        )
        run = reprocess_org.test(run_conf={"org_id": "brightpath", "queues": [queue]})
    assert run.state == "failed" and states(run)[("check_reextraction", -1)] == "failed"
    (alert,) = receiver.received
    text = alert["body"]["text"]
    # `dag.test()` runs the callback with no supervisor to serve its XCom reads, so the plan the alert
    # counts from cannot be read here (the DAG processor serves them: tests/dags/test_failure_alerts.py
    # holds the counts); the alert says it does not know rather than that nothing ran.
    assert text.startswith(
        ":warning: reprocess_org for brightpath failed in check_reextraction (task_failure); how far it got is "
        "unknown to this alert: see the run\n"
    )
    assert "before any cell ran" not in text
