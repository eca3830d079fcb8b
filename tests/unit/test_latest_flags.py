"""Which run is a cell's latest answer, as queues finish, cells are cleared and rerun (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ai_visibility.db import Database
from ai_visibility.db.models import ProcessingQueue, QuestionRun, QueueCell
from ai_visibility.latest_flags import update_latest_flags
from tests.helpers import queue_cells, run_cells, simulator_endpoints

CONF = {"org_id": "brightpath", "questions": ["affordable-crm"], "locations": ["US"]}
SONAR_DOWN = simulator_endpoints(fail="http_500", fail_models=["sonar"])


def run_queue(db: Database, dag_run_id: str) -> tuple[str, dict[str, str]]:
    """A queue whose cells all ran; returns its id and its cell keys by model."""
    cells = queue_cells(db, CONF, dag_run_id)
    run_cells(db, [c["cell_key"] for c in cells])
    with db.transaction() as s:
        queue_id = s.scalars(select(ProcessingQueue.id).where(ProcessingQueue.dag_run_id == dag_run_id)).one()
        by_model = {c.model_key: c.key for c in s.scalars(select(QueueCell).where(QueueCell.queue_id == queue_id))}
    return queue_id, by_model


def latest_queue_by_model(db: Database) -> dict[str, str]:
    with db.transaction() as s:
        return {r.model_key: r.queue_id for r in s.scalars(select(QuestionRun).where(QuestionRun.is_latest))}


def snapshot(db: Database) -> list[tuple[str, bool, str, str | None]]:
    with db.transaction() as s:
        rows = s.scalars(select(QuestionRun).order_by(QuestionRun.id)).all()
        return [(r.id, r.is_latest, r.status, r.error) for r in rows]


def test_a_cleared_newest_cell_that_fails_hands_the_flag_back_until_its_rerun_succeeds(demo_db: Database) -> None:
    first, _ = run_queue(demo_db, "scheduled__day1")
    update_latest_flags(demo_db, first)
    second, cells = run_queue(demo_db, "scheduled__day2")
    update_latest_flags(demo_db, second)
    assert latest_queue_by_model(demo_db) == {"gpt-4o": second, "sonar": second, "gemini-flash": second}

    run_cells(demo_db, [cells["sonar"]], SONAR_DOWN)  # cleared in the UI; Perplexity is down this time
    summary = update_latest_flags(demo_db, second)
    assert summary["status"] == "partial"
    assert latest_queue_by_model(demo_db) == {"gpt-4o": second, "sonar": first, "gemini-flash": second}
    with demo_db.transaction() as s:
        failed = s.get(QuestionRun, cells["sonar"])
        assert failed is not None and failed.status == "failed" and not failed.is_latest
    settled = snapshot(demo_db)
    update_latest_flags(demo_db, second)
    update_latest_flags(demo_db, first)  # the older queue's flags rerun late
    assert snapshot(demo_db) == settled

    run_cells(demo_db, [cells["sonar"]])  # cleared again once Perplexity is back
    summary = update_latest_flags(demo_db, second)
    assert summary["status"] == "completed" and summary["latest"] == 3
    assert latest_queue_by_model(demo_db) == {"gpt-4o": second, "sonar": second, "gemini-flash": second}
    with demo_db.transaction() as s:
        healed = s.get(QuestionRun, cells["sonar"])
        assert healed is not None and (healed.status, healed.error) == ("answered", None)
        assert healed.answer_text.strip()
        cell = s.get(QueueCell, cells["sonar"])
        assert cell is not None and cell.attempts == 3
    settled = snapshot(demo_db)
    update_latest_flags(demo_db, second)
    update_latest_flags(demo_db, first)
    assert snapshot(demo_db) == settled


def test_a_newer_queue_still_running_does_not_take_the_flag_from_an_older_queue_finishing(demo_db: Database) -> None:
    first, _ = run_queue(demo_db, "scheduled__day1")
    second, _ = run_queue(demo_db, "scheduled__day2")  # its cells completed; its flags step has not run yet
    update_latest_flags(demo_db, first)
    assert set(latest_queue_by_model(demo_db).values()) == {first}
    update_latest_flags(demo_db, second)
    assert set(latest_queue_by_model(demo_db).values()) == {second}


def test_the_database_refuses_two_latest_runs_for_one_cell(demo_db: Database) -> None:
    first, _ = run_queue(demo_db, "scheduled__day1")
    update_latest_flags(demo_db, first)
    second, _ = run_queue(demo_db, "scheduled__day2")
    update_latest_flags(demo_db, second)
    with pytest.raises(IntegrityError), demo_db.transaction() as s:
        s.execute(
            update(QuestionRun)
            .where(QuestionRun.queue_id == first, QuestionRun.model_key == "sonar")
            .values(is_latest=True)
        )
    assert latest_queue_by_model(demo_db)["sonar"] == second


def test_upgrading_a_database_with_two_latest_runs_per_cell_keeps_the_newest_completed_one(demo_db: Database) -> None:
    from alembic import command

    from ai_visibility.db.migrate import alembic_config, upgrade

    first, _ = run_queue(demo_db, "scheduled__day1")
    update_latest_flags(demo_db, first)
    second, cells = run_queue(demo_db, "scheduled__day2")
    update_latest_flags(demo_db, second)
    command.downgrade(alembic_config(demo_db.url), "0005")
    with demo_db.transaction() as s:  # what the earlier code could leave behind
        s.execute(update(QuestionRun).values(is_latest=True))
        s.execute(update(QueueCell).where(QueueCell.key == cells["gpt-4o"]).values(status="failed"))
        s.execute(update(QuestionRun).where(QuestionRun.id == cells["sonar"]).values(status="failed", error="boom"))
    upgrade(demo_db.url)
    assert latest_queue_by_model(demo_db) == {"gpt-4o": first, "sonar": second, "gemini-flash": second}
    with demo_db.transaction() as s:
        sonar = s.get(QuestionRun, cells["sonar"])
        assert sonar is not None and (sonar.status, sonar.error) == ("answered", None)
