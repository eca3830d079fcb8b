"""The analytics document of a queue that asked each cell three times, against figures worked out by
hand (docs/definitions.md: a cell's samples are one cluster of visibility's interval).

`q_now`: 2 questions × 2 models × 1 location × 3 samples = 12 runs, all successful. Acme Bank (the
org) is mentioned in these samples:

| cell               | #1 | #2 | #3 | mentioned |
|--------------------|----|----|----|-----------|
| best · gpt-4o      | ✓  | ✓  | ✓  | 3 of 3    |
| cheap · gpt-4o     | ✓  |    |    | 1 of 3    |
| best · sonar       |    | ✓  | ✓  | 2 of 3    |
| cheap · sonar      |    |    |    | 0 of 3    |

`q_before` asked the same four cells once each; Acme Bank was mentioned only in best · gpt-4o.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import Mention, Org, ProcessingQueue, QuestionRun, QueueCell, RunMetrics
from ai_visibility.summary import render_summary
from tests.helpers import schema_errors, stored_document

T_NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
MENTIONED = {
    ("q_now", "best", "gpt-4o"): (True, True, True),
    ("q_now", "cheap", "gpt-4o"): (True, False, False),
    ("q_now", "best", "sonar"): (False, True, True),
    ("q_now", "cheap", "sonar"): (False, False, False),
    ("q_before", "best", "gpt-4o"): (True,),
    ("q_before", "cheap", "gpt-4o"): (False,),
    ("q_before", "best", "sonar"): (False,),
    ("q_before", "cheap", "sonar"): (False,),
}


def store_rows(db: Database) -> None:
    with db.transaction() as s:
        s.add(Org(id="acme", name="Acme Bank", websites=["acmebank.com"], synthetic=False, created_at=T_NOW))
        for queue, created in (("q_before", T_NOW - timedelta(days=7)), ("q_now", T_NOW)):
            s.add(
                ProcessingQueue(
                    id=queue,
                    org_id="acme",
                    dag_run_id=f"manual__{created.isoformat()}",
                    status="completed",
                    selection={"org_id": "acme", "samples": 3 if queue == "q_now" else None},
                    created_at=created,
                    finished_at=created + timedelta(minutes=5),
                )
            )
        s.flush()
        for position, ((queue, question, model), samples) in enumerate(MENTIONED.items()):
            for sample, mentioned in enumerate(samples, start=1):
                key = f"{queue}:{question}:{model}:#{sample}"
                cell = {"org_id": "acme", "question_key": question, "model_key": model, "location_key": "us"}
                s.add(
                    QueueCell(
                        key=key,
                        queue_id=queue,
                        **cell,
                        sample=sample,
                        position=3 * position + sample,
                        label=f"{question} · {model} · us · #{sample}",
                        status="completed",
                        attempts=1,
                    )
                )
                s.flush()
                s.add(
                    QuestionRun(
                        id=key,
                        queue_id=queue,
                        **cell,
                        sample=sample,
                        answer_text="**Acme Bank** has no monthly fee." if mentioned else "Northwind Bank is cheap.",
                        served_model=model,
                        synthetic=False,
                        latency_ms=900,
                        input_tokens=40,
                        output_tokens=200,
                        cost_usd=0.01,
                        requested_location={"country": "US"},
                        applied_location={"country": "US"},
                        location_method="prompt",
                        status="answered",
                        created_at=T_NOW,
                    )
                )
                s.flush()
                s.add(
                    Mention(
                        cell_key=key,
                        brand="acme",
                        brand_name="Acme Bank",
                        brand_kind="target",
                        mentioned=mentioned,
                        occurrences=int(mentioned),
                        first_offset=2 if mentioned else None,
                        rank=1 if mentioned else None,
                        mention_text="**Acme Bank** has no monthly fee." if mentioned else "",
                        mention_chars=33 if mentioned else 0,
                        sentiment_label="positive" if mentioned else None,
                        sentiment_score=0.5 if mentioned else None,
                        role="recommended" if mentioned else "absent",
                    )
                )
                s.add(
                    RunMetrics(
                        cell_key=key,
                        target_mentioned=mentioned,
                        target_rank=1 if mentioned else None,
                        share_of_voice=100.0 if mentioned else 0.0,
                        mention_share=1.0 if mentioned else None,
                        target_sentiment=0.5 if mentioned else None,
                        owned_citation_share=None,
                        target_mention_chars=33 if mentioned else 0,
                        answer_chars=33,
                        target_occurrences=int(mentioned),
                        tracked_occurrences=int(mentioned),
                        owned_citations=0,
                        total_citations=0,
                    )
                )


@pytest.fixture
def document(db_url: str) -> dict[str, Any]:
    db = Database(db_url)
    store_rows(db)
    generate_analytics(db, "q_now")
    return stored_document(db, "q_now")


def test_visibility_pools_the_samples_and_its_interval_counts_each_cell_once(document: dict[str, Any]) -> None:
    # 6 of 12 runs. Per cell (mentioned, samples): (3,3), (1,3), (2,3), (0,3); p = .5; residuals
    # 1.5, −.5, .5, −1.5 -> Σ² = 5; robust variance 4/3 · 5/144 = .046296, independent .25/12 = .020833:
    # design effect 2.2222, n_eff 5.4; Wilson(.5 at 5.4) = .5 ± .322372 (test_stats.py works it out).
    assert document["overall"]["visibility"] == {"mentioned": 6, "n": 12, "rate": 0.5, "ci95": [0.1776, 0.8224]}
    # The org's own row of the leaderboard is computed the same way.
    assert document["competitors"][0]["visibility"] == document["overall"]["visibility"]
    # gpt-4o: (3,3), (1,3): p = 4/6, residuals 1, −1; robust 2 · 2/36 = .111111, independent
    # (2/9)/6 = .037037 -> n_eff 2 (= its cells). Wilson(2/3 at 2): centre .557069, half .397689.
    assert document["by_model"]["gpt-4o"]["visibility"] == {
        "mentioned": 4,
        "n": 6,
        "rate": 0.6667,
        "ci95": [0.1594, 0.9547],
    }
    # sonar: (2,3), (0,3): p = 1/3, same variances -> n_eff 2. Wilson(1/3 at 2): centre
    # (.333333 + .9604)/2.9208 = .442938, half .397689.
    assert document["by_model"]["sonar"]["visibility"]["ci95"] == [0.0453, 0.8406]
    # By question each cell is one model's: best (3,3), (2,3) and cheap (1,3), (0,3), p = 5/6 and 1/6.
    assert document["by_question"]["best"]["visibility"]["mentioned"] == 5


def test_the_samples_block_reports_the_design_effect_and_how_often_samples_agree(document: dict[str, Any]) -> None:
    assert document["samples"] == {
        "per_cell": 3,
        "cells": 4,
        "effective_n": 5.4,
        "design_effect": 2.2222,  # 12 / 5.4
        # unanimous: best · gpt-4o (3 of 3), cheap · sonar (0 of 3); agreeing pairs per cell
        # 1, 1/3, 1/3, 1 -> mean .6667
        "agreement": {"cells": 4, "unanimous": 2, "unanimous_share": 0.5, "pairwise": 0.6667},
        "agreement_by_model": {
            "gpt-4o": {"cells": 2, "unanimous": 1, "unanimous_share": 0.5, "pairwise": 0.6667},
            "sonar": {"cells": 2, "unanimous": 1, "unanimous_share": 0.5, "pairwise": 0.6667},
        },
    }
    assert schema_errors(document) == []
    assert (
        "3 samples per cell · the interval counts 5.4 effective runs (design effect 2.2222) · samples agree on the "
        "org in 2/4 cells"
    ) in render_summary(document, [])


def test_the_trend_matches_each_cell_with_the_same_sample_of_it(document: dict[str, Any]) -> None:
    # q_before asked each cell once: only sample #1 of each cell is matched. Now #1: ✓ ✓ · · = 2/4;
    # before: ✓ · · · = 1/4.
    trend = document["trend"]
    assert (trend["previous_queue"], trend["matched_cells"]) == ("q_before", 4)
    # Four matched cells cannot tell 2/4 from 1/4 apart (two-proportion z ≈ 0.73).
    assert trend["visibility"] == {"now": 0.5, "before": 0.25, "change": 0.25, "points": 25.0, "beyond_noise": False}
    assert trend["set_changed"] == {"questions": False, "models": False, "locations": False}
