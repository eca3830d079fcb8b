"""The `llm` extraction mode through the real `openai` client, against the simulator's extraction model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import Claim, Mention, UsageEntry
from ai_visibility.extraction.llm import LlmExtractionFailed, LlmMentions, mentions_from, structured
from ai_visibility.extraction.mentions import extract_mentions
from ai_visibility.settings import ExtractionSettings
from ai_visibility.simulator.server import serve_in_thread
from ai_visibility.steps.registry import run_step
from tests.helpers import (
    answer,
    demo_org_view,
    only_queue,
    queue_cells,
    run_cell,
    simulator_endpoints,
    step_context,
    stored_document,
)

ORG = demo_org_view()
LLM = ExtractionSettings("llm", "extraction_model", "gpt-4o-mini")


@pytest.fixture
def extraction_model() -> Iterator[Any]:
    servers = []

    def start(**config: Any) -> Endpoint:
        server, url = serve_in_thread(config)
        servers.append(server)
        return Endpoint.from_connection("extraction_model", url, "sk-extract", {})

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_structured_mentions_become_the_same_typed_results_as_the_rules(extraction_model: Any) -> None:
    text = answer("openai_search_table")
    found, calls = structured("mentions", LlmMentions, extraction_model(), "gpt-4o-mini", text, ORG, 10)
    assert len(calls) == 1 and calls[0].purpose == "mentions"
    assert calls[0].exchange.request["response_format"]["type"] == "json_schema"
    from_llm = {m.brand: m for m in mentions_from(text, ORG, found)}
    from_rules = {m.brand: m for m in extract_mentions(text, ORG)}
    for brand in ("brightpath", "hubspot", "pipedrive", "salesforce"):
        assert (from_llm[brand].mentioned, from_llm[brand].rank) == (
            from_rules[brand].mentioned,
            from_rules[brand].rank,
        )
    assert from_llm["brightpath"].mention_text == from_rules["brightpath"].mention_text


def test_llm_mode_ranks_each_brand_by_its_own_name_and_counts_its_names() -> None:
    text = "Compared with Brightpath CRM, HubSpot is pricier; Brightpath also syncs with Gmail."
    shared = [text]
    found = LlmMentions.model_validate(
        {
            "brands": [
                {
                    "name": n,
                    "mentioned": True,
                    "units": shared,
                    "sentiment": "neutral",
                    "sentiment_score": 0.0,
                    "role": "compared",
                }
                for n in ("Brightpath CRM", "HubSpot")
            ],
            "other_brands": [],
        }
    )
    from_llm = {m.brand: m for m in mentions_from(text, ORG, found)}
    from_rules = {m.brand: m for m in extract_mentions(text, ORG)}
    # One sentence names both: each brand ranks by where its own name is, as in the rules mode.
    assert (from_llm["brightpath"].rank, from_llm["hubspot"].rank) == (1, 2)
    assert from_llm["brightpath"].occurrences == from_rules["brightpath"].occurrences == 2
    assert from_llm["hubspot"].first_offset == text.index("HubSpot")


def test_a_truncated_answer_is_asked_for_once_more(extraction_model: Any) -> None:
    model = extraction_model(fail="truncated", fail_first=1)
    found, calls = structured("mentions", LlmMentions, model, "gpt-4o-mini", answer("perplexity_list"), ORG, 10)
    assert [c.purpose for c in calls] == ["mentions", "mentions-retry"] and found.brands


def test_a_model_that_keeps_failing_raises_with_the_reason_and_its_calls(extraction_model: Any) -> None:
    with pytest.raises(LlmExtractionFailed, match="not valid LlmMentions JSON") as failure:
        structured("mentions", LlmMentions, extraction_model(fail="bad_json"), "gpt-4o-mini", "Text.", ORG, 10)
    assert len(failure.value.calls) == 2


def test_the_pipeline_in_llm_mode_records_the_mode_and_bills_every_extraction_call(demo_db: Database) -> None:
    cells = queue_cells(
        demo_db,
        {"org_id": "brightpath", "models": ["gpt-4o"], "locations": ["US"], "questions": ["best-crm-startups"]},
        "llm",
    )
    run_cell(demo_db, cells[0]["cell_key"], step_context(extraction=LLM))
    with demo_db.transaction() as s:
        modes = {m.extracted_by for m in s.scalars(select(Mention))} | {
            c.extracted_by for c in s.scalars(select(Claim))
        }
        ledger = {(e.purpose, e.api_model) for e in s.scalars(select(UsageEntry))}
        costs = [e.cost_usd for e in s.scalars(select(UsageEntry).where(UsageEntry.purpose != "answer"))]
    assert modes == {"llm:gpt-4o-mini"}
    assert ledger == {("answer", "gpt-4o-search-preview"), ("mentions", "gpt-4o-mini"), ("claims", "gpt-4o-mini")}
    assert all(cost > 0 for cost in costs)
    assert only_queue(demo_db)


def test_the_pipeline_falls_back_to_the_rules_and_says_why(demo_db: Database) -> None:
    cells = queue_cells(
        demo_db,
        {"org_id": "brightpath", "models": ["sonar"], "locations": ["US"], "questions": ["affordable-crm"]},
        "llm",
    )
    failing = simulator_endpoints(fail="bad_json", fail_models=["gpt-4o-mini"])
    run_cell(demo_db, cells[0]["cell_key"], step_context(failing, extraction=LLM))
    with demo_db.transaction() as s:
        modes = {m.extracted_by for m in s.scalars(select(Mention))}
        purposes = sorted(e.purpose for e in s.scalars(select(UsageEntry)))
    assert len(modes) == 1
    assert str(next(iter(modes))).startswith("rules (llm fallback: the extraction model's answer")
    assert purposes == ["answer", "claims", "claims-retry", "mentions", "mentions-retry"]


def test_running_an_extraction_step_again_bills_both_calls(demo_db: Database) -> None:
    cells = queue_cells(
        demo_db,
        {"org_id": "brightpath", "models": ["gpt-4o"], "locations": ["US"], "questions": ["best-crm-startups"]},
        "llm",
    )
    cell_key = cells[0]["cell_key"]
    context = step_context(extraction=LLM)
    run_cell(demo_db, cell_key, context)
    # A cleared extract_mentions task runs again in the same attempt: the extraction model is asked again.
    run_step("extract_mentions", demo_db, cell_key, context)
    queue = only_queue(demo_db)
    generate_analytics(demo_db, queue)
    with demo_db.transaction() as s:
        ledger = s.scalars(select(UsageEntry).where(UsageEntry.purpose == "mentions").order_by(UsageEntry.seq)).all()
        every_call = s.scalars(select(UsageEntry)).all()
    assert [(e.attempt, e.seq) for e in ledger] == [(1, 1), (1, 2)] and all(e.cost_usd > 0 for e in ledger)
    cost = stored_document(demo_db, queue)["cost"]
    assert cost["calls"] == 4  # the answer, claims and two mentions calls
    assert cost["spent_usd"] == pytest.approx(sum(e.cost_usd for e in every_call))
