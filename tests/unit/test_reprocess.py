"""Re-extraction over history: which runs a conf selects, and that reprocessing rewrites only the
extraction rows, offline and idempotently (each test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import (
    Claim,
    Mention,
    ProcessingQueue,
    QueueCell,
    RunMetrics,
)
from ai_visibility.errors import InputError
from ai_visibility.extraction.version import EXTRACTION_VERSION
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.reprocess import (
    REEXTRACTION_STEPS,
    ReextractionFailed,
    plan_reprocess,
    queues_of,
    reextract,
    reprocess_progress,
    require_reextracted,
)
from ai_visibility.reprocess_conf import parse_reprocess_conf
from ai_visibility.simulator.handler import Simulator
from tests.helpers import row_counts, run_queue, simulator_endpoints, stored_document, stored_state

CONF = {"questions": ["best-crm-startups"], "locations": ["US"]}


def process(db: Database, run_id: str, created: datetime, endpoints: Any = None) -> str:
    """One process_org run of three cells, closed and analysed, created at `created`."""
    cells = run_queue(db, run_id, endpoints, **CONF)
    queue = _queue_of(db, cells[0]["cell_key"])
    with db.transaction() as s:
        s.execute(update(ProcessingQueue).where(ProcessingQueue.id == queue).values(created_at=created))
    update_latest_flags(db, queue)
    generate_analytics(db, queue)
    return queue


def _queue_of(db: Database, cell_key: str) -> str:
    with db.transaction() as s:
        cell = s.get(QueueCell, cell_key)
        assert cell is not None
        return cell.queue_id


def reprocess(db: Database, **conf: Any) -> list[dict[str, str]]:
    """A reprocess_org run as the DAG does it: plan, every step of every cell, then each queue's flags and analytics."""
    cells = plan_reprocess(db, parse_reprocess_conf({"org_id": "brightpath", **conf}), 1024)
    for cell in cells:
        for step in REEXTRACTION_STEPS:
            reextract(db, cell["cell_key"], step)
    for queue in queues_of(cells):
        update_latest_flags(db, queue)
        generate_analytics(db, queue)
    return cells


NOV_2 = datetime(2026, 11, 2, 6, tzinfo=UTC)
NOV_9 = datetime(2026, 11, 9, 6, tzinfo=UTC)


def test_queues_are_selected_by_id_or_by_creation_date(demo_db: Database) -> None:
    first, second = process(demo_db, "run_1", NOV_2), process(demo_db, "run_2", NOV_9)
    by_id = plan_reprocess(demo_db, parse_reprocess_conf({"org_id": "brightpath", "queues": [second]}), 1024)
    assert {c["queue_id"] for c in by_id} == {second} and len(by_id) == 3
    assert "Which CRM is best for startups? · gpt-4o · US" in {c["label"] for c in by_id}

    def dated(**conf: str) -> list[str]:
        return queues_of(plan_reprocess(demo_db, parse_reprocess_conf({"org_id": "brightpath", **conf}), 1024))

    assert dated(since="2026-11-01", until="2026-11-02") == [first]  # until is inclusive
    assert dated(since="2026-11-03") == [second]
    assert dated(until="2026-11-30") == [first, second]  # oldest first
    with pytest.raises(InputError, match=r"no finished queue created from 2026-11-10 to today \(UTC\): widen"):
        dated(since="2026-11-10")


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ({}, r"selects no queues; expected .*\"queues\" .* or a date range"),
        ({"queues": ["q_1"], "since": "2026-11-01"}, "conf.queues and conf.since/conf.until are both set"),
        ({"queues": []}, "conf.queues is an empty list: name at least one queue id, or select by date"),
        ({"since": "2026-11-09", "until": "2026-11-02"}, "conf.since 2026-11-09 is after conf.until 2026-11-02: swap"),
        ({"since": "last week"}, r"invalid reprocess_org conf \(since: .*\); expected .*YYYY-MM-DD"),
        ({"queue": ["q_1"]}, r"invalid reprocess_org conf \(queue: Extra inputs are not permitted\)"),
    ],
)
def test_a_bad_conf_is_refused_naming_the_field_and_the_fix(conf: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_reprocess_conf({"org_id": "brightpath", **conf})


def test_unknown_and_still_running_queues_are_refused_by_id(demo_db: Database) -> None:
    done = process(demo_db, "run_1", NOV_2)
    with pytest.raises(
        InputError, match=rf"conf.queues: \['q_nope'\] are not queues of org 'brightpath'; its latest are \['{done}'\]"
    ):
        plan_reprocess(demo_db, parse_reprocess_conf({"org_id": "brightpath", "queues": ["q_nope"]}), 1024)
    cells = run_queue(demo_db, "run_2", **CONF)  # its run has not reached update_latest_flags yet
    running = _queue_of(demo_db, cells[0]["cell_key"])
    with pytest.raises(InputError, match=r"are still running .*: reprocess them after that run ends"):
        plan_reprocess(demo_db, parse_reprocess_conf({"org_id": "brightpath", "queues": [running]}), 1024)
    assert queues_of(reprocess(demo_db, since="2026-01-01")) == [done]  # a date range skips it
    with demo_db.transaction() as s:
        assert {c.status for c in s.scalars(select(QueueCell).where(QueueCell.queue_id == running))} == {"completed"}


def test_reprocessing_twice_changes_no_row_counts_answers_ledger_or_statuses_and_calls_no_ai(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    process(demo_db, "run_1", NOV_2)
    process(demo_db, "run_2", NOV_9)
    counts, state = row_counts(demo_db), stored_state(demo_db)
    ai_requests: list[str] = []
    original = Simulator.handle

    def counted(self: Simulator, method: str, path: str, *rest: Any) -> Any:
        ai_requests.append(path)
        return original(self, method, path, *rest)

    monkeypatch.setattr(Simulator, "handle", counted)
    assert len(reprocess(demo_db, since="2026-11-01")) == 6
    assert row_counts(demo_db) == counts and stored_state(demo_db) == state
    assert len(reprocess(demo_db, since="2026-11-01")) == 6
    assert row_counts(demo_db) == counts and stored_state(demo_db) == state
    assert ai_requests == []


def test_each_sample_of_a_cell_is_reprocessed_and_keeps_its_latest_flag(demo_db: Database) -> None:
    cells = run_queue(demo_db, "run_1", **CONF, models=["gpt-4o"], samples=2)
    queue = _queue_of(db=demo_db, cell_key=cells[0]["cell_key"])
    update_latest_flags(demo_db, queue)
    state = stored_state(demo_db)
    assert [r["label"] for r in reprocess(demo_db, queues=[queue])] == [
        f"Which CRM is best for startups? · gpt-4o · US · #{n}" for n in (1, 2)
    ]
    assert stored_state(demo_db) == state
    assert all(is_latest for _, _, is_latest in state["answers"].values())


def test_reprocessing_replaces_rows_of_an_older_extraction_and_records_the_version(demo_db: Database) -> None:
    queue = process(demo_db, "run_1", NOV_2)
    with demo_db.transaction() as s:
        assert set(s.scalars(select(RunMetrics.extraction_version))) == {EXTRACTION_VERSION}
        # History as an older release left it: no version, and a mention the old rules got wrong.
        s.execute(update(RunMetrics).values(extraction_version=None))
        s.execute(update(Mention).where(Mention.brand_kind == "target").values(occurrences=99, extracted_by="rules-v0"))
        s.execute(update(Claim).values(extracted_by="llm:gpt-4o-mini"))
    generate_analytics(demo_db, queue)
    assert stored_document(demo_db, queue)["extraction_versions"] == ["unversioned"]

    reprocess(demo_db, queues=[queue])
    with demo_db.transaction() as s:
        assert set(s.scalars(select(RunMetrics.extraction_version))) == {EXTRACTION_VERSION}
        assert 99 not in set(s.scalars(select(Mention.occurrences)))
        assert set(s.scalars(select(Claim.extracted_by))) == {"rules"}  # offline: never the extraction model
    assert stored_document(demo_db, queue)["extraction_versions"] == [EXTRACTION_VERSION]


def test_the_trend_compares_only_runs_of_one_extraction_version(demo_db: Database) -> None:
    first = process(demo_db, "run_1", NOV_2)
    with demo_db.transaction() as s:
        cells = select(QueueCell.key).where(QueueCell.queue_id == first)
        s.execute(update(RunMetrics).where(RunMetrics.cell_key.in_(cells)).values(extraction_version=None))
    second = process(demo_db, "run_2", NOV_9)
    trend = stored_document(demo_db, second)["trend"]
    assert trend["previous_queue"] == first and trend["comparable"] is False
    assert trend["extraction_versions"] == {"now": [EXTRACTION_VERSION], "before": ["unversioned"]}
    assert "reprocess both queues with reprocess_org" in trend["reason"] and "visibility" not in trend

    reprocess(demo_db, since="2026-11-01")
    trend = stored_document(demo_db, second)["trend"]
    assert trend["comparable"] is True and trend["extraction_version"] == EXTRACTION_VERSION
    assert trend["matched_cells"] == 3 and trend["visibility"]["change"] is not None


def test_cells_that_failed_before_are_skipped_named_and_left_failed(
    demo_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    failing = simulator_endpoints(fail="http_500", fail_models=["sonar"])
    queue = process(demo_db, "run_1", NOV_2, failing)
    before = stored_state(demo_db)
    with caplog.at_level(logging.WARNING, logger="ai_visibility.reprocess"):
        cells = reprocess(demo_db, queues=[queue])
    assert len(cells) == 2 and not any("Perplexity Sonar" in c["label"] for c in cells)
    assert "skipped Which CRM is best for startups? · Perplexity Sonar · US" in caplog.text
    assert "failed at call_ai" in caplog.text
    assert stored_state(demo_db) == before
    assert stored_document(demo_db, queue)["coverage"]["failed"] == 1


def test_a_cell_whose_reextraction_fails_is_named_by_the_final_check(demo_db: Database) -> None:
    queue = process(demo_db, "run_1", NOV_2)
    cells = plan_reprocess(demo_db, parse_reprocess_conf({"org_id": "brightpath", "queues": [queue]}), 1024)
    assert require_reextracted(demo_db, cells) == 3
    with demo_db.transaction() as s:
        s.execute(delete(Mention).where(Mention.cell_key == cells[0]["cell_key"]))
    with pytest.raises(InputError, match="has no mention rows: extract_mentions must succeed first"):
        reextract(demo_db, cells[0]["cell_key"], "calculate_metrics")
    with pytest.raises(
        ReextractionFailed, match=rf"1 of 3 runs failed .*\n  - {re.escape(cells[0]['label'])} \[calculate_metrics\]"
    ):
        require_reextracted(demo_db, cells)
    with pytest.raises(InputError, match=r"'call_ai' is not a re-extraction step"):
        reextract(demo_db, cells[0]["cell_key"], "call_ai")


def test_a_failed_runs_progress_counts_what_its_plan_reached_not_what_its_range_selects_now(
    demo_db: Database,
) -> None:
    # A date range over a finished queue and one whose process_org run was still going: the plan
    # skipped the second. The run re-extracted one cell, then failed (timed out); meanwhile the
    # second queue's own run closed it.
    done = process(demo_db, "run_1", NOV_2)
    going = _queue_of(demo_db, run_queue(demo_db, "run_2", **CONF)[0]["cell_key"])
    started = datetime.now(UTC)
    planned = plan_reprocess(demo_db, parse_reprocess_conf({"org_id": "brightpath", "since": "2026-01-01"}), 1024)
    for step in REEXTRACTION_STEPS:
        reextract(demo_db, planned[0]["cell_key"], step)
    update_latest_flags(demo_db, going)

    progress = reprocess_progress(demo_db, planned, started)
    assert progress["queues"] == [done]
    # The two planned cells it never reached, completed by process_org before it started, are not its.
    assert progress["cells"] == {"total": 1, "completed": 1, "failed": 0}
    assert progress["open_cells"] == []
