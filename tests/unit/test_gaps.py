"""Where to act: questions where competitors are named and the org is not, ranked by how many engines
and locations agree, and third-party sources that cite competitors but never the org."""

from __future__ import annotations

from ai_visibility.extraction.source_kinds import load_source_kinds
from ai_visibility.gaps import RunBrands, where_to_act


def run(question: str, model: str, location: str, org: bool, *competitors: str) -> RunBrands:
    return RunBrands(f"q:{question}:{model}:{location}", question, model, location, org, frozenset(competitors))


# A CRM vendor (BrightPath) against HubSpot and Pipedrive: 3 questions × 3 engines × 2 locations, minus a few.
RUNS = [
    # "best-crm-startups": HubSpot and Pipedrive named without BrightPath by two engines in both locations.
    run("best-crm-startups", "gpt-4o", "US", False, "hubspot", "pipedrive"),
    run("best-crm-startups", "gpt-4o", "GB", False, "hubspot"),
    run("best-crm-startups", "sonar", "US", False, "hubspot"),
    run("best-crm-startups", "sonar", "GB", True, "hubspot"),
    run("best-crm-startups", "gemini-flash", "US", True),
    # "crm-for-agencies": one engine in two locations.
    run("crm-for-agencies", "gemini-flash", "US", False, "pipedrive"),
    run("crm-for-agencies", "gemini-flash", "GB", False, "pipedrive"),
    run("crm-for-agencies", "gpt-4o", "US", True, "pipedrive"),
    # "cheapest-crm": two engines, one location: as many cells as above, more engines agree.
    run("cheapest-crm", "gpt-4o", "US", False, "hubspot"),
    run("cheapest-crm", "sonar", "US", False, "pipedrive"),
    # "brightpath-review": nobody else named, no gap.
    run("brightpath-review", "gpt-4o", "US", False),
]
CITED = [
    ("q:best-crm-startups:gpt-4o:US", "g2.com"),
    ("q:best-crm-startups:gpt-4o:US", "reddit.com"),
    ("q:best-crm-startups:gpt-4o:GB", "techradar.com"),
    ("q:crm-for-agencies:gemini-flash:US", "reddit.com"),
    ("q:crm-for-agencies:gemini-flash:GB", "capterra.com"),
    ("q:best-crm-startups:sonar:GB", "capterra.com"),  # also cited where BrightPath is named
    ("q:brightpath-review:gpt-4o:US", "trustradius.com"),  # no competitor named there
    ("q:failed:sonar:US", "forbes.com"),  # a cell that did not succeed is not among the runs
]


# The questions as the org's file has them now; "cheapest-crm" was dropped from it after the run.
TEXTS = {
    "best-crm-startups": "Which CRM is best for startups?",
    "crm-for-agencies": "What CRM do marketing agencies use?",
    "brightpath-review": "Is BrightPath CRM any good?",
}


def test_questions_are_ranked_by_how_many_cells_engines_and_locations_agree() -> None:
    questions = where_to_act(RUNS, CITED, load_source_kinds().kind_of, TEXTS)["questions"]
    assert [(q["question"], q["cells"], q["of"], q["models"], q["locations"]) for q in questions] == [
        ("best-crm-startups", 3, 5, ["gpt-4o", "sonar"], ["GB", "US"]),
        ("cheapest-crm", 2, 2, ["gpt-4o", "sonar"], ["US"]),
        ("crm-for-agencies", 2, 3, ["gemini-flash"], ["GB", "US"]),
    ]
    # Each gap carries the question as it was asked beside its key; one without a text (no run
    # recorded it and it is no longer in the org's file) has none to show.
    assert [q["text"] for q in questions] == [
        "Which CRM is best for startups?",
        None,
        "What CRM do marketing agencies use?",
    ]
    assert questions[0]["competitors"] == [{"brand": "hubspot", "cells": 3}, {"brand": "pipedrive", "cells": 1}]
    assert [q["text_changed"] for q in questions] == [False, False, False]


def test_a_question_asked_in_several_wordings_says_so() -> None:
    questions = where_to_act(RUNS, CITED, load_source_kinds().kind_of, TEXTS, reworded={"crm-for-agencies"})
    assert [(q["question"], q["text_changed"]) for q in questions["questions"]] == [
        ("best-crm-startups", False),
        ("cheapest-crm", False),
        ("crm-for-agencies", True),
    ]


def test_sources_cited_beside_competitors_and_never_beside_the_org() -> None:
    sources = where_to_act(RUNS, CITED, load_source_kinds().kind_of, TEXTS)["sources"]
    assert sources == [
        {"domain": "reddit.com", "kind": "forum", "runs": 2, "competitors": ["hubspot", "pipedrive"]},
        {"domain": "g2.com", "kind": "review", "runs": 1, "competitors": ["hubspot", "pipedrive"]},
        {"domain": "techradar.com", "kind": "review", "runs": 1, "competitors": ["hubspot"]},
    ]


def test_no_gap_when_the_org_is_named_wherever_a_competitor_is() -> None:
    runs = [run("best-crm-startups", "gpt-4o", "US", True, "hubspot")]
    assert where_to_act(runs, [(runs[0].cell_key, "g2.com")], load_source_kinds().kind_of, TEXTS) == {
        "questions": [],
        "sources": [],
    }
