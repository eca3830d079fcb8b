"""`upgrade head` over data written at every earlier revision, and the latest revision down and up again
with data present (each test runs on SQLite and PostgreSQL).

The rows are written with the schema as it was at that revision (reflected, no models), the way a
deployment of that version wrote them; they must read through today's models afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from ai_visibility.db import Database
from ai_visibility.db.migrate import alembic_config, head_revision, require_current_schema, upgrade
from ai_visibility.db.models import (
    AIResponse,
    AnalyticsReport,
    Citation,
    Claim,
    Mention,
    Org,
    Push,
    QuestionRun,
    RunMetrics,
    UsageEntry,
)

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
CELL = "c_4f1d0a2b9e7c6d5f8a3b2c1d0e9f8a7b"
QUEUE = "q_0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
ANSWER = (
    "For a startup sales team, **HubSpot** and **Brightpath CRM** are the usual picks "
    "([forbes.com](https://www.forbes.com/advisor/business/software/best-crm-small-business/))."
)
# Superset rows: a column a revision does not have yet is left out; the child tables' key was `run_id`
# before 0005 and `cell_key` since.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("orgs", {"id": "brightpath", "name": "Brightpath CRM", "websites": ["https://brightpath.example"],
              "synthetic": True, "created_at": AT, "cadence": "weekly", "cadence_weekday": 0}),
    ("competitors", {"org_id": "brightpath", "key": "hubspot", "name": "HubSpot",
                     "websites": ["https://www.hubspot.com"]}),
    ("aliases", {"org_id": "brightpath", "brand": "brightpath", "alias": "Brightpath", "kind": "given"}),
    ("ai_models", {"org_id": "brightpath", "key": "gpt-4o", "label": "GPT-4o search", "provider": "openai",
                   "api_model": "gpt-4o-search-preview", "conn_id": "ai_openai", "web_search": True,
                   "location_method": "native", "input_usd_per_mtok": 2.5, "output_usd_per_mtok": 10.0,
                   "search_usd_per_call": 0.025, "api_style": "chat_completions", "expected_output_tokens": 800}),
    ("locations", {"org_id": "brightpath", "key": "US", "country": "US", "language": "en"}),
    ("questions", {"org_id": "brightpath", "key": "best-crm-startups", "text": "Which CRM is best for startups?",
                   "tags": ["category"], "branded": False}),
    ("processing_queues", {"id": QUEUE, "org_id": "brightpath", "dag_run_id": "scheduled__2026-11-02",
                           "status": "completed", "selection": {}, "created_at": AT, "finished_at": AT,
                           "estimated_cost_usd": 0.04, "budget_usd": 5.0}),
    ("queue_cells", {"key": CELL, "queue_id": QUEUE, "org_id": "brightpath", "question_key": "best-crm-startups",
                     "model_key": "gpt-4o", "location_key": "US", "position": 0,
                     "label": "Which CRM is best for startups? · GPT-4o search · US", "status": "completed",
                     "attempts": 1, "started_at": AT, "finished_at": AT}),
    ("ai_responses", {"cell_key": CELL, "request": {"model": "gpt-4o-search-preview"},
                      "raw_response": {"choices": [{"message": {"content": ANSWER}}]}, "latency_ms": 2100,
                      "requested_location": {"country": "US"}, "location_method": "native", "called_at": AT}),
    ("question_runs", {"id": CELL, "queue_id": QUEUE, "org_id": "brightpath", "question_key": "best-crm-startups",
                       "model_key": "gpt-4o", "location_key": "US", "answer_text": ANSWER,
                       "served_model": "gpt-4o-search-preview", "synthetic": True, "latency_ms": 2100,
                       "input_tokens": 310, "output_tokens": 420, "cost_usd": 0.030975,
                       "requested_location": {"country": "US"}, "location_method": "native", "status": "answered",
                       "is_latest": True, "created_at": AT}),
    ("mentions", {"brand": "brightpath", "brand_name": "Brightpath CRM", "brand_kind": "target", "mentioned": True,
                  "occurrences": 1, "first_offset": 50, "rank": 2, "mention_text": ANSWER, "mention_chars": 160,
                  "sentiment_label": "positive", "sentiment_score": 0.4, "role": "recommended",
                  "extracted_by": "rules"}),
    ("claims", {"position": 0, "text": ANSWER, "names_target": True, "sentiment_label": "positive",
                "sentiment_score": 0.4, "citation_urls": ["https://www.forbes.com/advisor/"],
                "extracted_by": "rules"}),
    ("citations", {"url": "https://www.forbes.com/advisor/business/software/best-crm-small-business/",
                   "domain": "forbes.com", "rank": 1, "origin": "inline", "classification": "third_party"}),
    ("run_metrics", {"target_mentioned": True, "target_rank": 2, "share_of_voice": 0.5, "mention_share": 0.5,
                     "target_sentiment": 0.4, "owned_citation_share": 0.0, "target_mention_chars": 160,
                     "answer_chars": 160, "target_occurrences": 1, "tracked_occurrences": 2, "owned_citations": 0,
                     "total_citations": 1}),
    ("usage_ledger", {"cell_key": CELL, "purpose": "answer", "attempt": 1, "queue_id": QUEUE, "model_key": "gpt-4o",
                      "api_model": "gpt-4o-search-preview", "served_model": "gpt-4o-search-preview",
                      "input_tokens": 310, "output_tokens": 420, "search_calls": 1, "cost_usd": 0.030975,
                      "price_source": "table 2026-11", "recorded_at": AT, "seq": 1}),
    ("analytics_reports", {"queue_id": QUEUE, "schema_version": "1", "document": {"share_of_voice": 0.5},
                           "generated_at": AT}),
    ("pushes", {"queue_id": QUEUE, "destination": "s3://aiv-results/brightpath", "idempotency_key": QUEUE,
                "status": "delivered", "location": "s3://aiv-results/brightpath/2026-11-02.json", "attempts": 1,
                "pushed_at": AT}),
]  # fmt: skip
CHILD_TABLES = {"mentions", "claims", "citations", "run_metrics"}


def write_rows(url: str) -> None:
    """The row set, as the schema at the database's current revision holds it."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for name, row in ROWS:
            table = meta.tables.get(name)
            if table is None:  # a table a later revision adds
                continue
            values = {**row, "run_id": CELL, "cell_key": CELL} if name in CHILD_TABLES else row
            conn.execute(table.insert().values({k: v for k, v in values.items() if k in table.c}))
    engine.dispose()


def assert_rows_read_through_the_models(db: Database) -> None:
    require_current_schema(db)
    with db.transaction() as s:
        org = s.get(Org, "brightpath")
        assert org is not None and org.name == "Brightpath CRM"
        assert org.cells_per_task == 1  # orgs stored before grouping keep one task per cell
        run = s.get(QuestionRun, CELL)
        assert run is not None and run.answer_text == ANSWER and run.is_latest
        mention = s.get(Mention, (CELL, "brightpath"))
        assert mention is not None and (mention.occurrences, mention.rank) == (1, 2)
        assert s.scalars(sa.select(Claim.text).where(Claim.cell_key == CELL)).one() == ANSWER
        assert s.scalars(sa.select(Citation.domain).where(Citation.cell_key == CELL)).one() == "forbes.com"
        metrics = s.get(RunMetrics, CELL)
        assert metrics is not None and metrics.share_of_voice == 0.5
        response = s.get(AIResponse, CELL)
        assert response is not None and response.raw_response["choices"][0]["message"]["content"] == ANSWER
        report = s.get(AnalyticsReport, QUEUE)
        assert report is not None and report.document == {"share_of_voice": 0.5}
        assert s.scalars(sa.select(Push.status).where(Push.queue_id == QUEUE)).one() == "delivered"
        assert run.repairs is None and response.repairs is None  # answers stored before repairs were intact
        # Runs stored before the asked wording was kept take their question's text as it is now.
        assert run.question_text == response.question_text == "Which CRM is best for startups?"
        if s.scalar(sa.select(sa.func.count()).select_from(UsageEntry)):
            entry = s.scalars(sa.select(UsageEntry)).one()
            # Rows written before calls were recorded in flight were written once the call was billed.
            assert entry.cost_usd == pytest.approx(0.030975) and entry.status == "billed"


@pytest.fixture
def empty_url(db_url: str) -> str:
    """A database with no tables yet, on SQLite or PostgreSQL as `db_url` is parametrised."""
    url = db_url
    command.downgrade(alembic_config(url), "base")
    return url


@pytest.mark.parametrize("revision", [f"{n:04d}" for n in range(1, 17)])
def test_data_written_at_an_earlier_revision_survives_upgrade_head(empty_url: str, revision: str) -> None:
    upgrade(empty_url, revision)
    write_rows(empty_url)
    upgrade(empty_url)
    assert_rows_read_through_the_models(Database(empty_url))


def test_the_latest_revision_goes_down_and_up_again_with_data_present(db_url: str) -> None:
    write_rows(db_url)
    command.downgrade(alembic_config(db_url), "-1")
    upgrade(db_url)
    assert head_revision() == "0017"
    assert_rows_read_through_the_models(Database(db_url))


def test_going_below_samples_keeps_sample_1_as_the_latest_run_of_its_cell(db_url: str) -> None:
    write_rows(db_url)
    second = CELL[:-1] + "2"
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    meta.reflect(engine)
    cells, runs = meta.tables["queue_cells"], meta.tables["question_runs"]
    with engine.begin() as conn:
        cell = conn.execute(sa.select(cells).where(cells.c.key == CELL)).mappings().one()
        run = conn.execute(sa.select(runs).where(runs.c.id == CELL)).mappings().one()
        conn.execute(cells.insert().values({**cell, "key": second, "sample": 2, "position": 1}))
        conn.execute(runs.insert().values({**run, "id": second, "sample": 2}))
    command.downgrade(alembic_config(db_url), "0011")
    with engine.connect() as conn:
        latest: list[str] = list(conn.execute(sa.select(runs.c.id).where(runs.c.is_latest.is_(True))).scalars())
        assert latest == [CELL]
    engine.dispose()
    upgrade(db_url)
    assert_rows_read_through_the_models(Database(db_url))


def test_runs_of_a_question_since_dropped_keep_no_text_rather_than_another_ones(db_url: str) -> None:
    write_rows(db_url)
    command.downgrade(alembic_config(db_url), "0016")
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    meta.reflect(engine)
    orgs, questions = meta.tables["orgs"], meta.tables["questions"]
    org = dict(ROWS[0][1], id="other", name="Other")
    with engine.begin() as conn:  # another org's question of the same key stays its own org's
        conn.execute(questions.delete())
        conn.execute(orgs.insert().values({k: v for k, v in org.items() if k in orgs.c}))
        conn.execute(
            questions.insert().values(
                org_id="other", key="best-crm-startups", text="Not asked here", tags=[], branded=False
            )
        )
    engine.dispose()
    upgrade(db_url)
    db = Database(db_url)
    with db.transaction() as s:
        run, response = s.get(QuestionRun, CELL), s.get(AIResponse, CELL)
        assert run is not None and response is not None
        assert (run.question_text, response.question_text) == (None, None)
