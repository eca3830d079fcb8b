"""Hostile answers through the real steps: empty, huge, undecodable, invisible marks inside brand names,
markup and instructions aimed at an extraction model (each test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from ai_visibility.ai.completion import AnswerError
from ai_visibility.db import Database
from ai_visibility.db.models import AIResponse, Mention, QuestionRun, QueueCell
from ai_visibility.extraction.limits import MAX_ANSWER_CHARS
from ai_visibility.steps.registry import STEP_NAMES, run_step
from tests.helpers import answer, queue_cells, raw_response, simulator_endpoints, step_context

ONE_CELL = {"org_id": "brightpath", "questions": ["best-crm-startups"], "models": ["gpt-4o"], "locations": ["US"]}


def one_cell(db: Database) -> str:
    return queue_cells(db, ONE_CELL, "manual__hostile")[0]["cell_key"]


def answered_with(db: Database, content: str) -> str:
    """A cell whose AI call stored `content` as the provider's answer; the later steps not yet run."""
    cell_key = one_cell(db)
    run_step("call_ai", db, cell_key, step_context())
    raw: dict[str, Any] = raw_response("openai_search_table")
    raw["choices"][0]["message"]["content"] = content
    with db.transaction() as s:
        s.execute(update(AIResponse).where(AIResponse.cell_key == cell_key).values(raw_response=raw))
    return cell_key


def extract(db: Database, cell_key: str) -> dict[str, Mention]:
    for step in STEP_NAMES[1:]:
        run_step(step, db, cell_key, step_context())
    with db.transaction() as s:
        return {m.brand: m for m in s.scalars(select(Mention).where(Mention.cell_key == cell_key))}


def cell(db: Database, cell_key: str) -> QueueCell:
    with db.transaction() as s:
        found = s.get(QueueCell, cell_key)
        assert found is not None
        s.expunge(found)
        return found


def test_an_empty_answer_fails_the_ai_call_with_the_reason_and_stores_no_run(demo_db: Database) -> None:
    cell_key = one_cell(demo_db)
    with pytest.raises(AnswerError, match="empty answer"):
        run_step("call_ai", demo_db, cell_key, step_context(simulator_endpoints(fail="empty")))
    failed = cell(demo_db, cell_key)
    assert (failed.status, failed.failed_step) == ("failed", "call_ai")
    assert failed.error is not None and "'gpt-4o-search-preview' returned an empty answer" in failed.error
    with demo_db.transaction() as s:
        assert s.scalar(select(QuestionRun).where(QuestionRun.id == cell_key)) is None


def test_a_one_megabyte_answer_is_extracted_and_the_cut_recorded(demo_db: Database) -> None:
    runaway = "\n\n".join([answer("openai_search_table").strip()] * 820)
    assert len(runaway) > 1_000_000
    cell_key = answered_with(demo_db, runaway)
    mentions = extract(demo_db, cell_key)
    assert mentions["brightpath"].mentioned and mentions["hubspot"].mentioned
    note = f"answer cut to its first {MAX_ANSWER_CHARS} of {len(runaway)} characters"
    assert all(note in (m.extracted_by or "") for m in mentions.values())
    with demo_db.transaction() as s:
        run = s.get(QuestionRun, cell_key)
        assert run is not None and run.answer_text == runaway  # stored whole; only extraction reads less


@pytest.mark.parametrize(
    ("mark", "name"),
    [("\u200d", "zero-width joiner"), ("\u200f", "right-to-left mark"), ("\u200b", "zero-width space")],
)
def test_invisible_marks_inside_a_brand_name_do_not_hide_the_mention(demo_db: Database, mark: str, name: str) -> None:
    text = f"For a small team I would pick **Bright{mark}path CRM**: simple pipelines and fair prices."
    mentions = extract(demo_db, answered_with(demo_db, text))
    assert mentions["brightpath"].mentioned, f"a {name} inside the name hid Brightpath"
