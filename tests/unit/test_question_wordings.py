"""Question texts in the analytics document are the wordings the runs were asked in, not the org's
file of the day: a question edited between two runs of a queue, and again after the queue, before
its analytics are generated again (what `reprocess_org` or a later analytics run does).

Built on the hand-worked queues of `tests/analytics_rows.py`: in `q_now`, question `best` has four
runs. Its text was edited between them:

| run | cell              | asked in | AI call       | recorded      |
|-----|-------------------|----------|---------------|---------------|
| r1  | gpt-4o/us/best    | ORIGINAL | T_NOW + 1 min | T_NOW + 30 min (its record step cleared and run again later) |
| r3  | gpt-4o/uk/best    | ORIGINAL | T_NOW + 2 min | T_NOW + 2 min |
| r5  | sonar/us/best     | EDITED   | T_NOW + 10 min | T_NOW + 10 min |
| r7  | sonar/uk/best     | EDITED   | T_NOW + 11 min | T_NOW + 11 min |

and after the queue the org's file was edited once more (LATER). `q_before` asked ORIGINAL.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import AIResponse, Question, QuestionRun
from ai_visibility.exports import runs_csv
from ai_visibility.report import render_report
from tests.analytics_rows import QUESTIONS, T_NOW, store_rows
from tests.helpers import schema_errors, stored_document

ORIGINAL = QUESTIONS["best"]
EDITED = "What is the best bank for a checking account with no fees?"
LATER = "Which bank has the best checking account?"
# cell: (wording asked, minutes after T_NOW of the AI call, of the record step)
BEST = {
    "q_now:gpt-4o:us:best": (ORIGINAL, 1, 30),
    "q_now:gpt-4o:uk:best": (ORIGINAL, 2, 2),
    "q_now:sonar:us:best": (EDITED, 10, 10),
    "q_now:sonar:uk:best": (EDITED, 11, 11),
}


def _document(db: Database) -> dict[str, Any]:
    generate_analytics(db, "q_now")
    return stored_document(db, "q_now")


@pytest.fixture
def db(db_url: str) -> Database:
    db = Database(db_url)
    store_rows(db)
    with db.transaction() as s:
        s.add_all(
            Question(org_id="acme", key=key, text=text, tags=[], branded=False) for key, text in QUESTIONS.items()
        )
        for cell, (text, called, recorded) in BEST.items():
            s.execute(
                update(QuestionRun)
                .where(QuestionRun.id == cell)
                .values(question_text=text, created_at=T_NOW + timedelta(minutes=recorded))
            )
            s.add(
                AIResponse(
                    cell_key=cell,
                    request={},
                    raw_response={},
                    latency_ms=2400,
                    requested_location={},
                    location_method="native",
                    called_at=T_NOW + timedelta(minutes=called),
                    question_text=text,
                )
            )
    return db


def test_a_question_edited_between_two_runs_shows_its_latest_wording_and_says_it_changed(db: Database) -> None:
    with db.transaction() as s:  # the org's file edited after the queue ran
        s.execute(update(Question).where(Question.key == "best").values(text=LATER))
    document = _document(db)
    # The latest AI call's wording, not the file's now, and not the run recorded last (r1, asked first).
    assert document["questions"] == {"best": EDITED, "cheap": QUESTIONS["cheap"]}
    assert document["question_wordings"] == {
        "best": [
            {
                "text": ORIGINAL,
                "runs": 2,
                "first_asked_at": "2026-11-30T06:01:00+00:00",
                "last_asked_at": "2026-11-30T06:02:00+00:00",
            },
            {
                "text": EDITED,
                "runs": 2,
                "first_asked_at": "2026-11-30T06:10:00+00:00",
                "last_asked_at": "2026-11-30T06:11:00+00:00",
            },
        ]
    }
    gaps = {g["question"]: (g["text"], g["text_changed"]) for g in document["gaps"]["questions"]}
    assert gaps == {"best": (EDITED, True), "cheap": (QUESTIONS["cheap"], False)}
    # q_before asked ORIGINAL for the matched cells gpt-4o/us/best and sonar/us/best; q_now asked
    # ORIGINAL in one and EDITED in the other.
    trend = document["trend"]
    assert trend["reworded_questions"] == ["best"] and trend["flagged"] is True
    assert trend["set_changed"]["questions"] is False  # the same keys: only a wording changed
    assert schema_errors(document) == []
    with db.transaction() as s:  # runs.csv names each run's own wording
        lines = runs_csv(s, "q_now").decode().splitlines()
    assert [line.split(",")[1] for line in lines if line.startswith("best,")] == [ORIGINAL, ORIGINAL, EDITED, EDITED]
    page = render_report(document)
    assert f"{EDITED} <span" in page and f"“{ORIGINAL}” (2 answers)" in page and LATER not in page
    assert "Reworded between the two, so their change may be the wording's: best." in page


def test_regenerating_after_another_edit_writes_the_same_question_texts(db: Database) -> None:
    fields = ("questions", "question_wordings", "gaps")
    first = _document(db)
    with db.transaction() as s:  # what reprocess_org finds when it regenerates the queue's analytics
        s.execute(update(Question).where(Question.key == "best").values(text=LATER))
    again = _document(db)
    assert {f: again[f] for f in fields} == {f: first[f] for f in fields}
    assert again["trend"]["reworded_questions"] == first["trend"]["reworded_questions"] == ["best"]


def test_one_wording_per_question_lists_none(db_url: str) -> None:
    db = Database(db_url)
    store_rows(db)  # every run asked as QUESTIONS has it; no file rows at all
    document = _document(db)
    assert document["questions"] == QUESTIONS  # from the runs, though the file no longer has them
    assert document["question_wordings"] == {}
    assert [g["text_changed"] for g in document["gaps"]["questions"]] == [False, False]
    assert document["trend"]["reworded_questions"] == []
