"""Every figure of the analytics document against numbers worked out by hand from known rows
(`tests/analytics_rows.py`, whose docstring tabulates them).

The rows are written straight into the tables (as the micro-steps would have left them), so each
figure depends only on the analytics code and the definitions in docs/definitions.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from ai_visibility.analytics import SOURCE_KINDS, generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import Question
from tests.analytics_rows import CI_2_3, CI_2_7, CI_3_4, CI_4_7, CI_5_7, QUESTIONS, TRUNCATED, store_rows
from tests.helpers import stored_document


@pytest.fixture
def document(db_url: str) -> dict[str, Any]:
    db = Database(db_url)
    store_rows(db)
    with db.transaction() as s:  # the questions as the org's file has them
        for key, text in QUESTIONS.items():
            s.add(Question(org_id="acme", key=key, text=text, tags=[], branded=False))
    assert generate_analytics(db, "q_now") == {"queue_id": "q_now", "runs": 7, "visibility": 0.7143}
    return stored_document(db, "q_now")


def block(
    n: int,
    visibility: tuple[int, float, list[float]],
    sov: tuple[float, float],
    rank: tuple[int, int, float, int, float] | None,
    sentiment: tuple[int, int, int, float, float, float],
    cost: float,
) -> dict[str, Any]:
    """A breakdown block written out from hand-worked figures (kept in the document's own shape)."""
    mentioned, rate, ci95 = visibility
    positive, neutral, negative, net, score_sum, mean_score = sentiment
    rank_sum, rank_n, rank_mean, top1, top1_share = rank or (0, 0, None, 0, None)
    return {
        "n": n,
        "visibility": {"mentioned": mentioned, "n": n, "rate": rate, "ci95": ci95},
        "share_of_voice": {"sum": sov[0], "n": n, "mean": sov[1]},
        "rank": {"sum": rank_sum, "n": rank_n, "mean": rank_mean, "top1": top1, "top1_share": top1_share},
        "sentiment": {
            "positive": positive,
            "neutral": neutral,
            "negative": negative,
            "n": mentioned,
            "net": net,
            "score_sum": score_sum,
            "mean_score": mean_score,
        },
        "cost_usd": cost,
    }


def test_overall_figures_over_the_seven_successful_runs(document: dict[str, Any]) -> None:
    assert document["overall"] == block(
        7,
        # mentioned in r1 r2 r4 r5 r7: 5/7 = .714286
        (5, 0.7143, CI_5_7),
        # 25 + 10 + 0 + 20 + 5 + 0 + 40 = 100; 100/7 = 14.285714
        (100.0, 14.2857),
        # ranks 1, 2, 1, 3, 1: sum 8 over 5 = 1.6; rank 1 in 3 of 5 = .6
        (8, 5, 1.6, 3, 0.6),
        # stored labels: positive r1 r5 r7, neutral r2, negative r4; net (3 - 1)/5 = .4;
        # scores .8 + 0 - .6 + .2 + .9 = 1.3, mean 1.3/5 = .26
        (3, 1, 1, 0.4, 1.3, 0.26),
        # .0312 + .0288 + .0305 + .0295 + .0061 + .0059 + .0064 (the kept answers)
        0.1384,
    )


def test_each_model_location_and_question_has_its_own_block(document: dict[str, Any]) -> None:
    # fmt: off
    assert document["by_model"] == {
        # r1-r4: mentioned 3/4; sov (25+10+0+20)/4 = 13.75; ranks 1,2,1 -> 4/3 = 1.33, top1 2/3;
        # positive r1, neutral r2, negative r4 -> net 0/3; scores .8+0-.6 = .2, mean .0667; cost .12
        "gpt-4o": block(4, (3, 0.75, CI_3_4), (55.0, 13.75), (4, 3, 1.33, 2, 0.6667), (1, 1, 1, 0.0, 0.2, 0.0667),
                        0.12),
        # r5-r7: mentioned 2/3; sov (5+0+40)/3 = 15; ranks 3,1 -> 2.0, top1 1/2;
        # positive r5 r7 -> net 2/2; scores .2+.9 = 1.1, mean .55; cost .0061+.0059+.0064 = .0184
        "sonar": block(3, (2, 0.6667, CI_2_3), (45.0, 15.0), (4, 2, 2.0, 1, 0.5), (2, 0, 0, 1.0, 1.1, 0.55), 0.0184),
    }
    assert document["by_location"] == {
        # r3 r4 r7: mentioned 2/3; sov (0+20+40)/3 = 20; ranks 1,1; negative r4, positive r7 -> net 0;
        # scores -.6+.9 = .3, mean .15; cost .0305+.0295+.0064 = .0664
        "uk": block(3, (2, 0.6667, CI_2_3), (60.0, 20.0), (2, 2, 1.0, 2, 1.0), (1, 0, 1, 0.0, 0.3, 0.15), 0.0664),
        # r1 r2 r5 r6: mentioned 3/4; sov (25+10+5+0)/4 = 10; ranks 1,2,3 -> 2.0, top1 1/3;
        # positive r1 r5, neutral r2 -> net 2/3; scores .8+0+.2 = 1.0, mean .3333; cost .072
        "us": block(4, (3, 0.75, CI_3_4), (40.0, 10.0), (6, 3, 2.0, 1, 0.3333), (2, 1, 0, 0.6667, 1.0, 0.3333), 0.072),
    }
    assert document["by_question"] == {
        # r1 r3 r5 r7: mentioned 3/4; sov (25+0+5+40)/4 = 17.5; ranks 1,3,1 -> 5/3 = 1.67, top1 2/3;
        # all positive -> net 1; scores .8+.2+.9 = 1.9, mean .6333; cost .0312+.0305+.0061+.0064 = .0742
        "best": block(4, (3, 0.75, CI_3_4), (70.0, 17.5), (5, 3, 1.67, 2, 0.6667), (3, 0, 0, 1.0, 1.9, 0.6333), 0.0742),
        # r2 r4 r6: mentioned 2/3; sov (10+20+0)/3 = 10; ranks 2,1 -> 1.5, top1 1/2;
        # neutral r2, negative r4 -> net -1/2; scores 0-.6 = -.6, mean -.3; cost .0288+.0295+.0059 = .0642
        "cheap": block(3, (2, 0.6667, CI_2_3), (30.0, 10.0), (3, 2, 1.5, 1, 0.5), (0, 1, 1, -0.5, -0.6, -0.3), 0.0642),
    }
    # fmt: on


def test_sentiment_counts_the_label_extraction_stored_not_one_rederived_from_the_score(
    document: dict[str, Any],
) -> None:
    # r5's label came from the extraction model: positive at 0.2, which the rules' cut-off calls neutral.
    assert document["by_model"]["sonar"]["sentiment"] | {"score_sum": None, "mean_score": None} == {
        "positive": 2,
        "neutral": 0,
        "negative": 0,
        "n": 2,
        "net": 1.0,
        "score_sum": None,
        "mean_score": None,
    }


def test_competitor_leaderboard_has_visibility_and_share_of_voice_per_brand(document: dict[str, Any]) -> None:
    def row(
        brand: str,
        name: str,
        kind: str,
        visibility: tuple[int, float, list[float]],
        sov: tuple[float, float],
        occurrences: int,
        mention_share: float | None,
        rank: tuple[int, int, float],
        sentiment: tuple[int, int, int, float] | None = None,
    ) -> dict[str, Any]:
        mentioned, rate, ci95 = visibility
        # The fixture labels competitors' passages neutral: every mentioned run is neutral, net 0.
        positive, neutral, negative, net = sentiment or (0, mentioned, 0, 0.0)
        return {
            "brand": brand,
            "name": name,
            "kind": kind,
            "visibility": {"mentioned": mentioned, "n": 7, "rate": rate, "ci95": ci95},
            "share_of_voice": {"sum": sov[0], "n": 7, "mean": sov[1]},
            "occurrences": occurrences,
            "mention_share": mention_share,
            "rank": {"sum": rank[0], "n": rank[1], "mean": rank[2]},
            "sentiment": {"positive": positive, "neutral": neutral, "negative": negative, "n": mentioned, "net": net},
        }

    # fmt: off
    # Tracked occurrences: Acme 3+1+2+1+4 = 11, Northwind 2+2+3+1+1 = 9, Contoso 1+1+2+1 = 5; all 25.
    assert document["competitors"] == [
        # r1 r2 r4 r5 r7; sov as the org's: 100/7 = 14.2857; 11/25 = .44; ranks 1+2+1+3+1 = 8 over 5
        # sentiment as the org's block: r1 r5 r7 positive, r2 neutral, r4 negative -> net (3 - 1)/5
        row("acme", "Acme Bank", "target", (5, 0.7143, CI_5_7), (100.0, 14.2857), 11, 0.44, (8, 5, 1.6),
            (3, 1, 1, 0.4)),
        # r1 r2 r3 r5 r7 (ties Acme at 5 runs; by name after it); sov 300/2000 = 15, 250/1000 = 25,
        # 400/1600 = 25, 80/800 = 10, 250/2500 = 10 -> 85/7 = 12.1429; 9/25 = .36; ranks 2+1+1+1+2 = 7
        row("northwind", "Northwind Bank", "competitor", (5, 0.7143, CI_5_7), (85.0, 12.1429), 9, 0.36, (7, 5, 1.4)),
        # r1 r3 r5 r6; sov 200/2000 = 10, 160/1600 = 10, 120/800 = 15, 50/500 = 10 -> 45/7 = 6.4286;
        # 5/25 = .2; ranks 3+2+2+1 = 8 over 4
        row("contoso", "Contoso Credit", "competitor", (4, 0.5714, CI_4_7), (45.0, 6.4286), 5, 0.2, (8, 4, 2.0)),
        # discovered brands come last and have no share of the tracked brands' occurrences;
        # r1 r3; sov 100/2000 = 5, 80/1600 = 5 -> 10/7 = 1.4286; ranks 4+3 = 7 over 2
        row("discovered:fabrikam", "Fabrikam", "discovered", (2, 0.2857, CI_2_7), (10.0, 1.4286), 2, None,
            (7, 2, 3.5)),
    ]
    # fmt: on


def test_citation_shares_and_top_domains_count_cited_urls_only(document: dict[str, Any]) -> None:
    # Cited (search sources and the failed cell's left-over row excluded): owned r1 r4 r5 r7 = 4;
    # competitor r1 r3 r3 r7 = 4; third party r1 r2 r2 r3 r5 r7 = 6; 14 in all.
    assert document["citations"] == {
        "total": 14,
        "owned": {"count": 4, "share": 0.2857},  # 4/14 = .285714
        "competitor": {"count": 4, "share": 0.2857},
        "third_party": {"count": 6, "share": 0.4286},  # 6/14 = .428571
        # Third parties by kind: nerdwallet.com and bankrate.com are review sites, reddit.com a forum.
        "by_kind": kinds(14, owned=4, competitor=4, review=5, forum=1),
        "by_model": {
            "gpt-4o": kinds(9, owned=2, competitor=3, review=4),  # r1 r2 r3 r4
            "sonar": kinds(5, owned=2, competitor=1, review=1, forum=1),  # r5 r7
        },
        # most cited first, ties by domain
        "top_domains": [
            {"domain": "acmebank.com", "classification": "owned", "kind": "owned", "count": 4},
            {"domain": "nerdwallet.com", "classification": "third_party", "kind": "review", "count": 4},
            {"domain": "northwind.com", "classification": "competitor", "kind": "competitor", "count": 3},
            {"domain": "bankrate.com", "classification": "third_party", "kind": "review", "count": 1},
            {"domain": "contoso.com", "classification": "competitor", "kind": "competitor", "count": 1},
            {"domain": "reddit.com", "classification": "third_party", "kind": "forum", "count": 1},
        ],
        # Every page is cited once here, so the ten come in URL order.
        "top_pages": [
            {"url": url, "domain": url.split("/")[2], "kind": kind, "count": 1}
            for url, kind in [
                ("https://acmebank.com", "owned"),
                ("https://acmebank.com/accounts/checking", "owned"),
                ("https://acmebank.com/uk", "owned"),
                ("https://acmebank.com/uk/fees", "owned"),
                ("https://bankrate.com/banking/checking/fees", "review"),
                ("https://contoso.com/credit", "competitor"),
                ("https://nerdwallet.com/banking/no-fee-checking", "review"),
                ("https://nerdwallet.com/best/banking/checking", "review"),
                ("https://nerdwallet.com/uk/banking", "review"),
                ("https://nerdwallet.com/uk/best-banks", "review"),
            ]
        ],
        "retrieved_not_cited": 2,  # bankrate.com in r3, nerdwallet.com in r5
    }


def kinds(total: int, **counts: int) -> dict[str, Any]:
    """Citation counts by source kind with their shares of `total`, 4 places."""
    return {
        "total": total,
        **{k: {"count": counts.get(k, 0), "share": round(counts.get(k, 0) / total, 4)} for k in SOURCE_KINDS},
    }


def test_trend_compares_matched_cells_with_the_previous_finished_queue(document: dict[str, Any]) -> None:
    # Previous finished queue: q_before (q_failed failed, q_later is newer). Cells successful in both:
    # gpt-4o/us/best, gpt-4o/us/cheap, sonar/us/best (sonar/us/cheap failed before; gemini is gone;
    # the uk cells are new).
    #   now    (r1, r2, r5): mentioned 3/3; sov (25+10+5)/3 = 13.3333; ranks 1,2,3 -> 2.0, top1 1/3;
    #                        positive r1 r5, neutral r2 -> net 2/3
    #   before:              mentioned 2/3; sov (12.5+0+30)/3 = 14.1667; ranks 2,1 -> 1.5, top1 1/2;
    #                        neutral, positive -> net 1/2
    assert document["trend"] == {
        "previous_queue": "q_before",
        "comparable": True,
        "extraction_version": "unversioned",  # the fixture's runs predate recorded versions
        "matched_cells": 3,
        "set_changed": {"questions": False, "models": True, "locations": True},
        "reworded_questions": [],  # every run of both queues asked as QUESTIONS has it
        "flagged": True,
        # Three matched cells are too few for any of these changes to be beyond noise (|z| <= 1.96):
        # 3/3 vs 2/3: pooled 5/6, se = √(5/6 · 1/6 · 2/3) = .3043, z = .3333/.3043 = 1.10
        "visibility": {"now": 1.0, "before": 0.6667, "change": 0.3333, "points": 33.33, "beyond_noise": False},
        # 40/3 - 42.5/3 = -2.5/3; values 25 10 5 against 12.5 0 30: s² 108.33 and 227.08,
        # se = √(108.33/3 + 227.08/3) = 10.57, z = -.08
        "share_of_voice": {
            "now": 13.3333, "before": 14.1667, "change": -0.8333, "points": -0.83, "beyond_noise": False,
        },
        # ranks 1 2 3 against 2 1: s² 1 and .5, se = √(1/3 + .5/2) = .764, z = .65; a rank is no percentage
        "rank": {"now": 2.0, "before": 1.5, "change": 0.5, "points": None, "beyond_noise": False},
        # 1/3 - 1/2: pooled 2/5, se = √(.4 · .6 · (1/3 + 1/2)) = .447, z = -.37
        "top1_share": {"now": 0.3333, "before": 0.5, "change": -0.1667, "points": -16.67, "beyond_noise": False},
        # 2/3 - 1/2: +1 0 +1 against 0 +1: s² 1/3 and 1/2, se = √(1/9 + 1/4) = .601, z = .28
        "sentiment_net": {"now": 0.6667, "before": 0.5, "change": 0.1667, "points": 16.67, "beyond_noise": False},
    }  # fmt: skip


def test_coverage_and_cost(document: dict[str, Any]) -> None:
    assert document["coverage"] == {
        "attempted": 8,
        "succeeded": 7,
        "failed": 1,
        "failures": [
            {
                "cell_key": "q_now:sonar:uk:cheap",
                "label": "Which bank has the lowest fees? · Perplexity Sonar · uk",
                "step": "extract_mentions",
                "reason": TRUNCATED,
            }
        ],
        "reasons": {"extract_mentions: LlmExtractionFailed": 1},
    }
    assert document["cost"] == {
        "estimated_usd": 0.2,
        "budget_usd": 1.0,
        # every billed call of this queue: .1501 + .0246 + .0021
        "spent_usd": 0.1768,
        # the answers the runs kept: the overall block's .1384
        "kept_answers_usd": 0.1384,
        "calls": 15,
        "by_model": {
            # .0312 + .0288 + .0301 + .0305 + .0295 (one cell asked twice); 5 × 1200 in, 5 × 600 out
            "gpt-4o": {"calls": 5, "usd": 0.1501, "input_tokens": 6000, "output_tokens": 3000},
            # .0061 + .0059 + .0064 + .0062 (the failed cell's answer was paid for too); 4 × 400, 4 × 500
            "sonar": {"calls": 4, "usd": 0.0246, "input_tokens": 1600, "output_tokens": 2000},
            # .0003 + .0002 + 4 × .0004 (the failed cell's extraction, run twice); 6 × 2000, 6 × 300
            "extraction": {"calls": 6, "usd": 0.0021, "input_tokens": 12000, "output_tokens": 1800},
        },
    }


def test_the_document_names_its_org_and_queue(document: dict[str, Any]) -> None:
    assert {k: document[k] for k in ("schema_version", "synthetic", "org", "queue")} == {
        "schema_version": "1.8",
        # only the failed cell's left-over run was synthetic, and it does not count
        "synthetic": False,
        "org": {"id": "acme", "name": "Acme Bank", "websites": ["acmebank.com"]},
        "queue": {
            "id": "q_now",
            "dag_run_id": "scheduled__2026-11-30T06:00:00+00:00",
            "status": "partial",
            "created_at": "2026-11-30T06:00:00+00:00",
            "finished_at": "2026-11-30T06:25:00+00:00",
            "selection": {"questions": ["best", "cheap"], "models": ["gpt-4o", "sonar"], "locations": ["us", "uk"]},
        },
    }
    assert set(document) == {
        "schema_version", "synthetic", "org", "queue", "coverage", "overall", "by_model", "by_location",
        "by_question", "competitors", "citations", "gaps", "cost", "trend", "extraction_versions",
        "by_tag", "by_branded", "by_model_location", "competitors_by_model", "competitors_by_location", "history",
        "samples", "questions", "question_wordings",
    }  # fmt: skip
    assert document["extraction_versions"] == ["unversioned"]  # written before versions were recorded
    # Every block keyed by question (by_question, gaps, history) reads its key's text from here: the
    # wording the runs were asked in, one per question here.
    assert document["question_wordings"] == {}
    assert document["questions"] == {
        "best": "What is the best bank for a checking account?",
        "cheap": "Which bank has the lowest fees?",
    }


def test_gaps_name_the_cells_where_competitors_are_named_and_the_org_is_not(document: dict[str, Any]) -> None:
    # r3 (gpt-4o/uk/best) names Northwind and Contoso, r6 (sonar/us/cheap) Contoso, neither Acme Bank.
    assert document["gaps"]["questions"] == [
        {
            "question": "best",
            "text": "What is the best bank for a checking account?",
            "text_changed": False,
            "cells": 1,
            "of": 4,
            "models": ["gpt-4o"],
            "locations": ["uk"],
            "competitors": [{"brand": "contoso", "cells": 1}, {"brand": "northwind", "cells": 1}],
        },
        {
            "question": "cheap",
            "text": "Which bank has the lowest fees?",
            "text_changed": False,
            "cells": 1,
            "of": 3,
            "models": ["sonar"],
            "locations": ["us"],
            "competitors": [{"brand": "contoso", "cells": 1}],
        },
    ]
    # r3 cites nerdwallet.com (its bankrate.com was only retrieved), which r1 cites beside Acme Bank.
    assert document["gaps"]["sources"] == []
