"""End-to-end runs of `process_org` with Airflow's own runner over the demo org."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from ai_visibility.db import Database
from ai_visibility.db.models import (
    AnalyticsReport,
    Citation,
    Mention,
    ProcessingQueue,
    Push,
    QuestionRun,
    QueueCell,
    RunMetrics,
)
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility_airflow.alerts import alert_on_failure
from tests.e2e.conftest import states
from tests.helpers import only_queue, row_counts, run_queue, schema_errors
from tests.webhook_receiver import running_receiver

pytestmark = pytest.mark.e2e


def test_the_demo_org_runs_45_cells_end_to_end(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, tmp_path: Path
) -> None:
    app_env(demo_db.url)
    run = process_org.test(run_conf={"org_id": "brightpath"})
    assert run.state == "success"
    by_task = states(run)
    assert sum(1 for (task, _), state in by_task.items() if task == "process_cell.call_ai" and state == "success") == 45
    with demo_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(QuestionRun)) == 45
        assert s.scalar(select(func.count()).select_from(RunMetrics)) == 45
        assert s.scalar(select(func.count(func.distinct(Mention.cell_key)))) == 45
        cited = s.scalar(select(func.count(func.distinct(Citation.cell_key))))
        # A few synthetic answers cite nothing (as real ones sometimes do); metrics count that as 0 citations.
        assert cited == s.scalar(select(func.count()).where(RunMetrics.total_citations > 0))
        assert cited is not None and cited >= 40
        assert s.scalar(select(func.count()).where(QuestionRun.is_latest)) == 45
        queue = s.scalars(select(ProcessingQueue)).one()
        assert queue.status == "completed" and queue.dag_run_id == run.run_id
        labels = s.scalars(select(QueueCell.label)).all()
    assert "Which CRM is best for startups? · gpt-4o · US" in labels
    grid = {ti.rendered_map_index for ti in run.get_task_instances() if ti.task_id.startswith("process_cell.")}
    assert grid == set(labels)  # every mapped instance in the grid carries its cell's label
    pushed = tmp_path / "output" / "brightpath" / queue.id / "analytics.json"
    document = json.loads(pushed.read_text())
    assert schema_errors(document) == []
    assert document["coverage"] == {"attempted": 45, "succeeded": 45, "failed": 0, "failures": [], "reasons": {}}
    assert set(document["by_model"]) == {"gpt-4o", "sonar", "gemini-flash"}
    assert document["overall"]["visibility"]["n"] == 45
    report = pushed.with_name("report.html").read_text()
    assert f"<title>AI visibility · Brightpath CRM · queue {queue.id}</title>" in report
    assert "45 of 45 cells succeeded, 0 failed." in report and report.count("<svg") >= 3


def test_a_failing_model_leaves_the_other_cells_done_and_the_run_failed(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Last week's queue of the same question named Brightpath in every answer with a share of voice
    # of 60: this run's share of voice falls beyond noise, and the alert connection is told.
    last_week = run_queue(demo_db, "manual__last_week", questions=["best-crm-startups"])
    with demo_db.transaction() as s:
        s.execute(
            update(RunMetrics)
            .where(RunMetrics.cell_key.in_([c["cell_key"] for c in last_week]))
            .values(target_mentioned=True, share_of_voice=60.0)
        )
    update_latest_flags(demo_db, only_queue(demo_db))
    app_env(demo_db.url, fail="http_500", fail_models=["sonar"])
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "7")  # failing calls retry until 2 s before it
    callbacks: list[Any] = []

    def on_failure(context: Any) -> None:
        callbacks.append(context)
        alert_on_failure(context)

    monkeypatch.setattr(process_org, "on_failure_callback", on_failure)
    with running_receiver() as receiver:
        monkeypatch.setenv(
            "AIRFLOW_CONN_AI_VISIBILITY_ALERTS", json.dumps({"conn_type": "http", "host": f"{receiver.base}/alerts"})
        )
        run = process_org.test(run_conf={"org_id": "brightpath", "questions": ["best-crm-startups"]})
        # The failure callback run again with what Airflow gave it (the same failure): not posted again.
        (context,) = callbacks
        alert_on_failure(context)
    assert run.state == "failed"
    (failure,) = [r for r in receiver.received if "cells failed" in r["body"]["text"]]
    assert "process_org for brightpath: 3 of 9 cells failed (6 completed)" in failure["body"]["text"]
    assert failure["headers"]["idempotency-key"].startswith("failure:")
    by_task = states(run)
    assert by_task[("update_latest_flags", -1)] == "success"
    assert by_task[("generate_analytics", -1)] == "success"
    assert by_task[("push_analytics", -1)] == "success"
    assert by_task[("alert_on_changes", -1)] == "success"
    assert by_task[("check_cells", -1)] == "failed"
    changes = [r["body"]["text"] for r in receiver.received if "change" in r["body"]["text"].splitlines()[0]]
    assert len(changes) == 1 and "• Share of voice fell" in changes[0] and run.run_id in changes[0]
    failed_calls = [i for (task, i), state in by_task.items() if task == "process_cell.call_ai" and state == "failed"]
    assert len(failed_calls) == 3
    with demo_db.transaction() as s:
        queue = s.scalars(select(ProcessingQueue.id).where(ProcessingQueue.dag_run_id == run.run_id)).one()
        cells = s.scalars(select(QueueCell).where(QueueCell.queue_id == queue)).all()
        report = s.get(AnalyticsReport, queue)
        assert report is not None
    assert {c.model_key for c in cells if c.status == "failed"} == {"sonar"}
    assert sum(c.status == "completed" for c in cells) == 6
    assert all(
        "HTTP 500" in (c.error or "") and "sk-e2e-secret" not in (c.error or "") for c in cells if c.status == "failed"
    )
    assert report.document["coverage"]["failed"] == 3 and report.document["overall"]["n"] == 6


def test_unknown_org_fails_at_once_and_stores_nothing(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app_env(demo_db.url)
    before = row_counts(demo_db)
    run = process_org.test(run_conf={"org_id": "brightpth"})
    assert run.state == "failed"
    assert "org_id 'brightpth' does not exist in the app database; known orgs: brightpath" in capsys.readouterr().out
    by_task = states(run)
    assert by_task[("load_org", -1)] == "failed"
    assert by_task[("build_queue", -1)] == "upstream_failed"
    assert row_counts(demo_db) == before


def test_conf_naming_unknown_models_fails_before_any_cell_runs(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app_env(demo_db.url)
    run = process_org.test(run_conf={"org_id": "brightpath", "models": ["gpt-5"]})
    assert run.state == "failed"
    out = capsys.readouterr().out
    assert "conf.models: unknown keys ['gpt-5']; this org has ['gemini-flash', 'gpt-4o', 'sonar']" in out
    assert "does not exist" not in out
    by_task = states(run)
    assert by_task[("build_queue", -1)] == "failed"
    # Nothing after it runs to fail on a queue that was never built: the grid points at build_queue.
    later = ("update_latest_flags", "generate_analytics", "push_analytics", "check_cells")
    assert {by_task[(task, -1)] for task in later} == {"upstream_failed"}
    assert row_counts(demo_db)["question_runs"] == 0


def test_malformed_conf_is_refused_with_the_schema_message(
    demo_db: Database, app_env: Callable[..., None], process_org: Any
) -> None:
    app_env(demo_db.url)
    with pytest.raises(Exception, match="questions") as failure:
        process_org.test(run_conf={"org_id": "brightpath", "questions": "best-crm-startups"})
    assert "array" in str(failure.value) or "list" in str(failure.value)


def test_running_the_same_dag_run_again_writes_no_new_rows(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, tmp_path: Path
) -> None:
    """Also the run with two samples of one cell: each sample its own mapped instance, run and row."""
    app_env(demo_db.url)
    when = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    conf = {
        "org_id": "brightpath",
        "questions": ["best-crm-startups"],
        "models": ["sonar"],
        "locations": ["GB-london"],
        "samples": 2,
    }
    first = process_org.test(logical_date=when, run_after=when, run_conf=conf)
    assert first.state == "success"
    with demo_db.transaction() as s:
        runs = s.scalars(select(QuestionRun).order_by(QuestionRun.sample)).all()
        labels = s.scalars(select(QueueCell.label).order_by(QueueCell.position)).all()
        assert [(r.sample, r.is_latest) for r in runs] == [(1, True), (2, True)]
        assert runs[0].answer_text != runs[1].answer_text  # the simulator answers each sample differently
    assert labels == [f"Which CRM is best for startups? · Perplexity Sonar · GB-london · #{n}" for n in (1, 2)]
    assert {ti.rendered_map_index for ti in first.get_task_instances() if ti.task_id == "process_cell.call_ai"} == set(
        labels
    )
    before = row_counts(demo_db)
    # dag.test on the same logical date clears every task of that run and runs them again.
    second = process_org.test(logical_date=when, run_after=when, run_conf=conf)
    assert first.run_id == second.run_id and second.state == "success"
    assert row_counts(demo_db) == before
    with demo_db.transaction() as s:
        assert {c.attempts for c in s.scalars(select(QueueCell))} == {2}
        assert {p.attempts for p in s.scalars(select(Push))} == {1 + 1}
    [pushed] = list((tmp_path / "output").rglob("*.json"))
    document = json.loads(pushed.read_text())
    assert schema_errors(document) == []
    assert (document["overall"]["n"], document["samples"]["per_cell"], document["samples"]["cells"]) == (2, 2, 1)
    assert document["samples"]["agreement"]["cells"] == 1
    runs_csv = (pushed.parent / "runs.csv").read_text().splitlines()
    assert runs_csv[0].startswith("question_key,question,model,location,sample,")
    assert [line.split(",")[4] for line in runs_csv[1:]] == ["1", "2"]


def test_the_llm_extraction_mode_runs_end_to_end(
    demo_db: Database, app_env: Callable[..., None], process_org: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ai_visibility.db.models import UsageEntry

    app_env(demo_db.url)
    monkeypatch.setenv("AI_VISIBILITY_EXTRACTION_MODE", "llm")
    monkeypatch.setenv("AI_VISIBILITY_EXTRACTION_CONN_ID", "ai_simulator")
    monkeypatch.setenv("AI_VISIBILITY_EXTRACTION_MODEL", "gpt-4o-mini")
    run = process_org.test(
        run_conf={"org_id": "brightpath", "questions": ["hubspot-alternatives"], "locations": ["US"]}
    )
    assert run.state == "success"
    with demo_db.transaction() as s:
        modes = {m.extracted_by for m in s.scalars(select(Mention))}
        purposes = {e.purpose for e in s.scalars(select(UsageEntry))}
        metrics = s.scalar(select(func.count()).select_from(RunMetrics))
    assert modes == {"llm:gpt-4o-mini"} and purposes == {"answer", "mentions", "claims"} and metrics == 3
