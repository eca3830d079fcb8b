"""The run's verdict after cells are cleared and rerun: outputs refreshed when stale, left alone
when fresh (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility import keys
from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import AnalyticsReport, ProcessingQueue, Push, QuestionRun
from ai_visibility.finalize import check_cells
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.push import PushFailed, document_path, push_analytics
from ai_visibility.queue import CellsFailed
from tests.helpers import queue_cells, run_cells, simulator_endpoints

CONF = {"org_id": "brightpath", "questions": ["hubspot-alternatives"], "locations": ["GB-london"]}
SONAR_DOWN = simulator_endpoints(fail="http_500", fail_models=["sonar"])
RUN = "manual__2026-11-30T05:00:00+00:00"
QUEUE = keys.queue_id("brightpath", RUN)


def run_queue(db: Database, destination: str, endpoints: object = None) -> dict[str, str]:
    """The queue's cells, then latest flags, analytics and push, as the DAG runs them; cell keys by model."""
    cells = queue_cells(db, CONF, RUN)
    run_cells(db, [c["cell_key"] for c in cells], endpoints)
    update_latest_flags(db, QUEUE)
    generate_analytics(db, QUEUE)
    push_analytics(db, QUEUE, [destination])
    return {c["label"].split(" · ")[1]: c["cell_key"] for c in cells}


def published(db: Database, output: Path) -> tuple[dict[str, Any], dict[str, Any], int, dict[str, str]]:
    """The stored document, the pushed one, the push attempts and the queue holding each model's latest answer."""
    with db.transaction() as s:
        report = s.get(AnalyticsReport, QUEUE)
        push = s.scalars(select(Push).where(Push.queue_id == QUEUE)).one()
        latest = {r.model_key: r.queue_id for r in s.scalars(select(QuestionRun).where(QuestionRun.is_latest))}
    assert report is not None
    pushed = json.loads((output / document_path("brightpath", QUEUE)).read_text())
    return report.document, pushed, push.attempts, latest


def test_a_cell_completed_after_the_outputs_ran_is_published_before_the_run_passes(
    demo_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cells = run_queue(demo_db, str(tmp_path), SONAR_DOWN)
    with pytest.raises(CellsFailed, match=r"1 of 3 cells did not complete"):
        check_cells(demo_db, QUEUE, [str(tmp_path)])
    document, _, attempts, latest = published(demo_db, tmp_path)
    assert attempts == 1 and document["coverage"]["failed"] == 1  # fresh: the failing check rewrote nothing
    assert "Perplexity Sonar" not in latest

    run_cells(demo_db, [cells["Perplexity Sonar"]])  # cleared once Perplexity is back; the outputs did not rerun
    with caplog.at_level("INFO", logger="ai_visibility.finalize"):
        progress = check_cells(demo_db, QUEUE, [str(tmp_path)])

    assert (progress.total, progress.completed) == (3, 3)
    assert "analytics cover 2 completed and 1 failed cells, the queue has 3 and 0" in caplog.text
    document, pushed, attempts, latest = published(demo_db, tmp_path)
    assert latest == {"gpt-4o": QUEUE, "sonar": QUEUE, "gemini-flash": QUEUE}
    assert document["coverage"]["succeeded"] == 3 and document["queue"]["status"] == "completed"
    assert pushed == document and attempts == 2
    with demo_db.transaction() as s:
        queue = s.get(ProcessingQueue, QUEUE)
        assert queue is not None and queue.status == "completed"


def test_fresh_outputs_are_left_alone(demo_db: Database, tmp_path: Path) -> None:
    run_queue(demo_db, str(tmp_path))
    with demo_db.transaction() as s:
        before = s.get(AnalyticsReport, QUEUE)
        assert before is not None
        generated_at = before.generated_at

    assert check_cells(demo_db, QUEUE, [str(tmp_path)]).completed == 3

    _, _, attempts, _ = published(demo_db, tmp_path)
    with demo_db.transaction() as s:
        after = s.get(AnalyticsReport, QUEUE)
        assert after is not None and after.generated_at == generated_at
    assert attempts == 1


def test_a_destination_that_missed_the_document_gets_it_from_the_check(demo_db: Database, tmp_path: Path) -> None:
    blocked = tmp_path / "reports"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(PushFailed):
        run_queue(demo_db, str(blocked))

    blocked.unlink()  # the destination is fixed; the failed push task was not rerun
    assert check_cells(demo_db, QUEUE, [str(blocked)]).completed == 3

    document, pushed, attempts, _ = published(demo_db, blocked)
    assert pushed == document and attempts == 2
