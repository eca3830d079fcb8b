"""`runs.csv` and `competitors.csv`: one row per cell and per brand, values as stored and as analysed."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import Mention, QuestionRun, QueueCell, RunMetrics
from ai_visibility.exports import COMPETITOR_COLUMNS, RUN_COLUMNS, competitors_csv, runs_csv
from tests.analytics_rows import store_rows
from tests.helpers import analytics_document, only_queue, run_queue, stored_document

# The hand-worked queue of test_analytics_numbers.py: the failed cell has rows of an earlier attempt,
# whose figures are not exported; each question's text is the one its run was asked in (the org's
# file has none there).
HAND_WORKED_RUNS = """\
question_key,question,model,location,sample,mentioned,rank,share_of_voice,sentiment_label,citations,cost_usd,status
best,What is the best bank for a checking account?,gpt-4o,us,1,true,1,25.0,positive,3,0.0312,completed
cheap,Which bank has the lowest fees?,gpt-4o,us,1,true,2,10.0,neutral,2,0.0288,completed
best,What is the best bank for a checking account?,gpt-4o,uk,1,false,,0.0,,3,0.0305,completed
cheap,Which bank has the lowest fees?,gpt-4o,uk,1,true,1,20.0,negative,1,0.0295,completed
best,What is the best bank for a checking account?,sonar,us,1,true,3,5.0,positive,2,0.0061,completed
cheap,Which bank has the lowest fees?,sonar,us,1,false,,0.0,,0,0.0059,completed
best,What is the best bank for a checking account?,sonar,uk,1,true,1,40.0,positive,3,0.0064,completed
cheap,Which bank has the lowest fees?,sonar,uk,1,,,,,,,failed
"""
HAND_WORKED_COMPETITORS = """\
brand,name,kind,visibility,visibility_ci95_low,visibility_ci95_high,share_of_voice,mention_share,mean_rank
acme,Acme Bank,target,0.7143,0.3589,0.9178,14.2857,0.44,1.6
northwind,Northwind Bank,competitor,0.7143,0.3589,0.9178,12.1429,0.36,1.4
contoso,Contoso Credit,competitor,0.5714,0.2505,0.8418,6.4286,0.2,2.0
discovered:fabrikam,Fabrikam,discovered,0.2857,0.0822,0.6411,1.4286,,3.5
"""


def test_the_hand_worked_queue_exports_every_cell_and_brand(db_url: str) -> None:
    db = Database(db_url)
    store_rows(db)
    generate_analytics(db, "q_now")
    with db.transaction() as s:
        assert runs_csv(s, "q_now").decode() == HAND_WORKED_RUNS
    assert competitors_csv(stored_document(db, "q_now")).decode() == HAND_WORKED_COMPETITORS


def test_a_demo_run_exports_one_row_per_cell_matching_the_database(demo_db: Database) -> None:
    cells = run_queue(demo_db, "manual__csv", questions=["best-crm-startups", "brightpath-review"], locations=["US"])
    queue = only_queue(demo_db)
    document = analytics_document(demo_db, queue)
    with demo_db.transaction() as s:
        rows = list(csv.DictReader(io.StringIO(runs_csv(s, queue).decode())))
        stored = s.execute(
            select(QueueCell, QuestionRun, RunMetrics)
            .join(QuestionRun, QuestionRun.id == QueueCell.key)
            .join(RunMetrics, RunMetrics.cell_key == QueueCell.key)
            .order_by(QueueCell.position)
        ).all()
        labels = {
            m.cell_key: m.sentiment_label
            for m in s.scalars(select(Mention).where(Mention.brand_kind == "target", Mention.mentioned))
        }
    assert len(rows) == len(cells) == len(stored) == 6
    assert tuple(rows[0]) == RUN_COLUMNS
    assert {r["question"] for r in rows} == {
        "Which CRM is best for startups?",
        "Is Brightpath CRM a good choice for a small sales team?",
    }
    for row, (cell, run, metrics) in zip(rows, stored, strict=True):
        assert (row["question_key"], row["model"], row["location"], row["sample"], row["status"]) == (
            cell.question_key,
            cell.model_key,
            cell.location_key,
            "1",
            "completed",
        )
        assert row["mentioned"] == str(metrics.target_mentioned).lower()
        assert row["rank"] == ("" if metrics.target_rank is None else str(metrics.target_rank))
        assert float(row["share_of_voice"]) == round(metrics.share_of_voice, 4)
        assert row["sentiment_label"] == (labels.get(cell.key) or "")
        assert int(row["citations"]) == metrics.total_citations
        assert float(row["cost_usd"]) == round(run.cost_usd, 6)
    competitors = list(csv.DictReader(io.StringIO(competitors_csv(document).decode())))
    assert tuple(competitors[0]) == COMPETITOR_COLUMNS
    assert [c["brand"] for c in competitors] == [c["brand"] for c in document["competitors"]]
    assert {c["kind"] for c in competitors} >= {"target", "competitor"}
