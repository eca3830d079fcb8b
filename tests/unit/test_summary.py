"""The text summary `make demo` and `ai-visibility summary` print: figures as the document has them,
laid out so that columns line up."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ai_visibility.db import Database
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.org_spec import read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.summary import TREND_NAMES, render_summary
from tests.helpers import analytics_document, only_queue, run_queue


@pytest.fixture
def document(sqlite_url: str) -> dict[str, Any]:
    """The demo org's document over two questions in every model and location (18 cells)."""
    db = Database(sqlite_url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    run_queue(db, "manual__summary", questions=["best-crm-startups", "brightpath-review"])
    return analytics_document(db, only_queue(db))


def test_ranks_have_two_decimals_and_sections_one_blank_line_between_them(document: dict[str, Any]) -> None:
    text = render_summary(document, ["/out/brightpath/q/analytics.json"])
    assert "\n\n\n" not in text
    lines = text.splitlines()
    rows = [line for line in lines if line.startswith(("model ", "location "))]
    assert len(rows) == 3 + 3
    for row in rows:
        # Before, a mean of 1 printed "1.0" and one of 2.0909 "2.09": a column of ragged widths.
        assert re.fullmatch(r".*%\s+(\d+\.\d\d|n/a)", row), row
    for model, block in document["by_model"].items():
        mean = block["rank"]["mean"]
        assert any(r.startswith(f"model {model} ") and r.endswith(f"{mean:.2f}") for r in rows)
    rank = document["overall"]["rank"]
    # Rank is over the answers naming the org only, as the report's card says, not over all n.
    assert f"average rank {rank['mean']:.2f} in the {rank['n']} answers naming the org" in text
    assert lines[lines.index(rows[-1]) + 1] == ""  # the cost starts a section of its own
    assert lines[1].startswith("SYNTHETIC")


def test_a_document_that_is_not_synthetic_has_no_blank_line_in_its_place(document: dict[str, Any]) -> None:
    lines = render_summary(document | {"synthetic": False}, []).splitlines()
    assert lines[1].startswith("Cells: 18/18 ok")


def test_questions_asked_in_more_than_one_wording_are_named_in_the_queue_and_in_the_trend(
    document: dict[str, Any],
) -> None:
    assert "wording" not in render_summary(document, [])
    wordings = [
        {"text": "Which CRM is best for startups?", "runs": 4, "first_asked": "a", "last_asked": "b"},
        {"text": "Which CRM should a seed-stage startup pick?", "runs": 5, "first_asked": "c", "last_asked": "d"},
    ]
    reworded = {
        **document,
        "question_wordings": {"best-crm-startups": wordings},
        "trend": {**document["trend"], "previous_queue": "q-1", "comparable": True, "matched_cells": 18,
                  "reworded_questions": ["best-crm-startups"],
                  **{name: {"points": 0.0, "beyond_noise": False} for name in TREND_NAMES}},
    }  # fmt: skip
    text = render_summary(reworded, [])
    assert "Asked in more than one wording in this queue (figures mix them): best-crm-startups" in text
    assert "  reworded since queue q-1: best-crm-startups" in text


def test_top_cited_domains_carry_the_source_kind_the_report_and_by_kind_use(document: dict[str, Any]) -> None:
    lines = render_summary(document, []).splitlines()
    start = lines.index("Top cited domains (citations, source kind):") + 1
    shown = [line.split() for line in lines[start : lines.index("", start)]]
    top = document["citations"]["top_domains"][: len(shown)]
    assert shown == [[row["domain"], str(row["count"]), row["kind"]] for row in top]
    kinds = {row["kind"] for row in top}
    assert "third_party" not in kinds and kinds <= set(document["citations"]["by_kind"])
    assert any(row["classification"] == "third_party" for row in top)  # a third party is shown by its kind
