"""Every figure of the analytics document against numbers worked out by hand from known rows.

The rows are written straight into the tables (as the micro-steps would have left them), so each
figure depends only on the analytics code and the definitions in docs/definitions.md.

This queue (`q_now`): 2 models × 2 locations × 2 questions = 8 cells; 7 succeeded, 1 failed.

| run | cell               | answer | Acme Bank (org)           | Northwind | Contoso | Fabrikam (found) | answer cost |
|-----|--------------------|--------|---------------------------|-----------|---------|------------------|-------------|
| r1  | gpt-4o/us/best     | 2000   | 3×, rank 1, 500 ch, +0.8  | 2×, 2, 300| 1×, 3, 200 | 1×, 4, 100    | 0.0312 |
| r2  | gpt-4o/us/cheap    | 1000   | 1×, rank 2, 100 ch, neu 0 | 2×, 1, 250| -       | -                | 0.0288 |
| r3  | gpt-4o/uk/best     | 1600   | -                         | 3×, 1, 400| 1×, 2, 160 | 1×, 3, 80     | 0.0305 |
| r4  | gpt-4o/uk/cheap    | 1250   | 2×, rank 1, 250 ch, -0.6  | -         | -       | -                | 0.0295 |
| r5  | sonar/us/best      | 800    | 1×, rank 3, 40 ch, pos 0.2 (llm label) | 1×, 1, 80 | 2×, 2, 120 | -  | 0.0061 |
| r6  | sonar/us/cheap     | 500    | -                         | -         | 1×, 1, 50 | -              | 0.0059 |
| r7  | sonar/uk/best      | 2500   | 4×, rank 1, 1000 ch, +0.9 | 1×, 2, 250| -       | -                | 0.0064 |
| -   | sonar/uk/cheap     | failed at extract_mentions; rows of an earlier attempt are left over and must not count |

Share of voice per run (chars ÷ answer × 100): r1 25, r2 10, r3 0, r4 20, r5 5, r6 0, r7 40.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ai_visibility.analytics import SOURCE_KINDS, generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import (
    AnalyticsReport,
    Citation,
    Mention,
    Org,
    ProcessingQueue,
    QuestionRun,
    QueueCell,
    RunMetrics,
    UsageEntry,
)

T_BEFORE = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
T_NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
QUESTIONS = {"best": "What is the best bank for a checking account?", "cheap": "Which bank has the lowest fees?"}
MODELS = {"gpt-4o": "OpenAI GPT-4o", "sonar": "Perplexity Sonar", "gemini": "Gemini 2.5 Flash"}
BRANDS = {"acme": ("Acme Bank", "target"), "northwind": ("Northwind Bank", "competitor")}
BRANDS |= {"contoso": ("Contoso Credit", "competitor")}
TRUNCATED = "LlmExtractionFailed: the extraction model's answer was truncated (finish_reason=length)"
ANSWER = (
    "## Best checking accounts\n\n1. **Acme Bank**: no monthly fee and a top-rated app [1].\n"
    "2. **Northwind Bank**: large branch network.\n\n| Bank | Fee |\n|---|---|\n| Contoso Credit | $5 |\n"
)


@dataclass(frozen=True)
class Named:
    """A brand named in an answer: occurrences, rank, characters of its passages, sentiment."""

    occurrences: int
    rank: int
    chars: int
    label: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class Cited:
    url: str
    domain: str
    classification: str
    origin: str = "annotation"


@dataclass(frozen=True)
class Run:
    queue: str
    model: str
    location: str
    question: str
    answer_chars: int = 0
    cost_usd: float = 0.0
    named: dict[str, Named] = field(default_factory=dict)
    cited: tuple[Cited, ...] = ()
    failed: tuple[str, str] | None = None  # step, reason
    stored: bool = True  # whether the cell has rows (a cell that failed at call_ai has none)
    extracted_by: str = "rules"
    synthetic: bool = False

    @property
    def key(self) -> str:
        return f"{self.queue}:{self.model}:{self.location}:{self.question}"


# fmt: off
NOW = [
    Run(
        "q_now", "gpt-4o", "us", "best", 2000, 0.0312,
        {"acme": Named(3, 1, 500, "positive", 0.8), "northwind": Named(2, 2, 300), "contoso": Named(1, 3, 200),
         "discovered:fabrikam": Named(1, 4, 100)},
        (Cited("https://nerdwallet.com/best/banking/checking", "nerdwallet.com", "third_party"),
         Cited("https://acmebank.com/accounts/checking", "acmebank.com", "owned"),
         Cited("https://northwind.com/checking", "northwind.com", "competitor", "inline")),
    ),
    Run(
        "q_now", "gpt-4o", "us", "cheap", 1000, 0.0288,
        {"acme": Named(1, 2, 100, "neutral", 0.0), "northwind": Named(2, 1, 250)},
        (Cited("https://nerdwallet.com/banking/no-fee-checking", "nerdwallet.com", "third_party"),
         Cited("https://bankrate.com/banking/checking/fees", "bankrate.com", "third_party")),
    ),
    Run(
        "q_now", "gpt-4o", "uk", "best", 1600, 0.0305,
        {"northwind": Named(3, 1, 400), "contoso": Named(1, 2, 160), "discovered:fabrikam": Named(1, 3, 80)},
        (Cited("https://northwind.com/uk", "northwind.com", "competitor"),
         Cited("https://contoso.com/credit", "contoso.com", "competitor"),
         Cited("https://nerdwallet.com/uk/banking", "nerdwallet.com", "third_party"),
         Cited("https://bankrate.com/uk/reviews", "bankrate.com", "third_party", "search_source")),
    ),
    Run(
        "q_now", "gpt-4o", "uk", "cheap", 1250, 0.0295,
        {"acme": Named(2, 1, 250, "negative", -0.6)},
        (Cited("https://acmebank.com/uk/fees", "acmebank.com", "owned", "inline"),),
    ),
    Run(
        "q_now", "sonar", "us", "best", 800, 0.0061,
        # The extraction model labelled it positive; the rules' cut-offs would call 0.2 neutral.
        {"acme": Named(1, 3, 40, "positive", 0.2), "northwind": Named(1, 1, 80), "contoso": Named(2, 2, 120)},
        (Cited("https://reddit.com/r/personalfinance/comments/abc", "reddit.com", "third_party"),
         Cited("https://acmebank.com", "acmebank.com", "owned"),
         Cited("https://nerdwallet.com/reviews/acme-bank", "nerdwallet.com", "third_party", "search_source")),
        extracted_by="llm:gpt-4o-mini",
    ),
    Run("q_now", "sonar", "us", "cheap", 500, 0.0059, {"contoso": Named(1, 1, 50)}),
    Run(
        "q_now", "sonar", "uk", "best", 2500, 0.0064,
        {"acme": Named(4, 1, 1000, "positive", 0.9), "northwind": Named(1, 2, 250)},
        (Cited("https://acmebank.com/uk", "acmebank.com", "owned"),
         Cited("https://northwind.com/compare", "northwind.com", "competitor"),
         Cited("https://nerdwallet.com/uk/best-banks", "nerdwallet.com", "third_party")),
    ),
    Run(
        "q_now", "sonar", "uk", "cheap", 1000, 0.0062,
        {"acme": Named(5, 1, 500, "positive", 0.9)},
        (Cited("https://acmebank.com/stale", "acmebank.com", "owned"),),
        failed=("extract_mentions", TRUNCATED),
        synthetic=True,
    ),
]

BEFORE = [
    Run("q_before", "gpt-4o", "us", "best", 1600, 0.03, {"acme": Named(2, 2, 200, "neutral", 0.1),
                                                           "northwind": Named(1, 1, 160)},
        (Cited("https://acmebank.com/old", "acmebank.com", "owned"),)),
    Run("q_before", "gpt-4o", "us", "cheap", 1000, 0.03, {"northwind": Named(2, 1, 300)}),
    Run("q_before", "sonar", "us", "best", 1000, 0.006, {"acme": Named(3, 1, 300, "positive", 0.7)}),
    Run("q_before", "sonar", "us", "cheap", failed=("call_ai", "ConnectionError: HTTP 503"), stored=False),
    Run("q_before", "gemini", "us", "best", 1200, 0.002, {"acme": Named(1, 1, 600, "positive", 0.5)}),
]

# (cell, purpose, attempt, seq, cost, input tokens, output tokens); the model comes from the cell.
LEDGER = [
    ("q_now:gpt-4o:us:best", "answer", 1, 1, 0.0312, 1200, 600),
    ("q_now:gpt-4o:us:cheap", "answer", 1, 1, 0.0288, 1200, 600),
    ("q_now:gpt-4o:uk:best", "answer", 1, 1, 0.0301, 1200, 600),  # an empty answer, asked again
    ("q_now:gpt-4o:uk:best", "answer", 2, 1, 0.0305, 1200, 600),
    ("q_now:gpt-4o:uk:cheap", "answer", 1, 1, 0.0295, 1200, 600),
    ("q_now:sonar:us:best", "answer", 1, 1, 0.0061, 400, 500),
    ("q_now:sonar:us:cheap", "answer", 1, 1, 0.0059, 400, 500),
    ("q_now:sonar:uk:best", "answer", 1, 1, 0.0064, 400, 500),
    ("q_now:sonar:uk:cheap", "answer", 1, 1, 0.0062, 400, 500),
    ("q_now:sonar:us:best", "mentions", 1, 1, 0.0003, 2000, 300),
    ("q_now:sonar:us:best", "claims", 1, 1, 0.0002, 2000, 300),
    ("q_now:sonar:uk:cheap", "mentions", 1, 1, 0.0004, 2000, 300),
    ("q_now:sonar:uk:cheap", "mentions-retry", 1, 1, 0.0004, 2000, 300),
    ("q_now:sonar:uk:cheap", "mentions", 1, 2, 0.0004, 2000, 300),  # Airflow retried the step
    ("q_now:sonar:uk:cheap", "mentions-retry", 1, 2, 0.0004, 2000, 300),
    ("q_before:gpt-4o:us:best", "answer", 1, 1, 0.03, 1200, 600),  # another queue's spend
]
# fmt: on


def store_rows(db: Database) -> None:
    """The org, four queues (one before, one failed in between, this one, one after) and their rows."""
    with db.transaction() as s:
        s.add(Org(id="acme", name="Acme Bank", websites=["acmebank.com"], synthetic=False, created_at=T_BEFORE))
        s.flush()
        selection = {"questions": ["best", "cheap"], "models": ["gpt-4o", "sonar"], "locations": ["us", "uk"]}
        for queue, status, created, cost in (
            ("q_before", "completed", T_BEFORE, 0.1),
            ("q_failed", "failed", T_BEFORE + timedelta(days=3), None),
            ("q_now", "partial", T_NOW, 0.2),
            ("q_later", "completed", T_NOW + timedelta(days=1), None),
        ):
            s.add(
                ProcessingQueue(
                    id=queue,
                    org_id="acme",
                    dag_run_id=f"scheduled__{created.isoformat()}",
                    status=status,
                    selection=selection,
                    estimated_cost_usd=cost,
                    budget_usd=1.0 if queue == "q_now" else None,
                    created_at=created,
                    finished_at=created + timedelta(minutes=25),
                )
            )
        s.flush()
        for position, run in enumerate(BEFORE + NOW):
            _store_run(s, position, run)
            s.flush()
        for cell, purpose, attempt, seq, cost, tokens_in, tokens_out in LEDGER:
            model = cell.split(":")[1] if purpose == "answer" else "extraction"
            s.add(
                UsageEntry(
                    cell_key=cell,
                    purpose=purpose,
                    attempt=attempt,
                    seq=seq,
                    queue_id=cell.split(":")[0],
                    model_key=model,
                    api_model="gpt-4o-mini" if model == "extraction" else model,
                    served_model=None,
                    input_tokens=tokens_in,
                    output_tokens=tokens_out,
                    search_calls=1 if purpose == "answer" else 0,
                    cost_usd=cost,
                    price_source="table:2026-11",
                    recorded_at=T_NOW,
                )
            )


def _store_run(s: Any, position: int, run: Run) -> None:
    started = T_NOW if run.queue == "q_now" else T_BEFORE
    s.add(
        QueueCell(
            key=run.key,
            queue_id=run.queue,
            org_id="acme",
            question_key=run.question,
            model_key=run.model,
            location_key=run.location,
            position=position,
            label=f"{QUESTIONS[run.question]} · {MODELS[run.model]} · {run.location}",
            status="failed" if run.failed else "completed",
            failed_step=run.failed[0] if run.failed else None,
            error=run.failed[1] if run.failed else None,
            attempts=1,
            started_at=started,
            finished_at=started + timedelta(minutes=2),
        )
    )
    if not run.stored:
        return
    s.flush()
    s.add(
        QuestionRun(
            id=run.key,
            queue_id=run.queue,
            org_id="acme",
            question_key=run.question,
            model_key=run.model,
            location_key=run.location,
            answer_text=ANSWER,
            served_model=run.model,
            synthetic=run.synthetic,
            latency_ms=2400,
            input_tokens=400,
            output_tokens=500,
            cost_usd=run.cost_usd,
            requested_location={"country": run.location.upper()},
            applied_location={"country": run.location.upper()},
            location_method="native",
            status="failed" if run.failed else "answered",
            error=run.failed[1] if run.failed else None,
            is_latest=False,
            created_at=started,
        )
    )
    s.flush()
    target = run.named.get("acme")
    for brand in [*BRANDS, *(b for b in run.named if b.startswith("discovered:"))]:
        named = run.named.get(brand)
        name, kind = BRANDS[brand] if brand in BRANDS else (brand.removeprefix("discovered:").title(), "discovered")
        s.add(
            Mention(
                cell_key=run.key,
                brand=brand,
                brand_name=name,
                brand_kind=kind,
                mentioned=named is not None,
                occurrences=named.occurrences if named else 0,
                first_offset=10 * named.rank if named else None,
                rank=named.rank if named else None,
                mention_text=f"**{name}**: a passage" if named else "",
                mention_chars=named.chars if named else 0,
                sentiment_label=(named.label or "neutral") if named else None,
                sentiment_score=(named.score or 0.0) if named else None,
                role="listed" if named else "absent",
                extracted_by=run.extracted_by,
            )
        )
    for rank, cited in enumerate(run.cited, start=1):
        s.add(
            Citation(
                cell_key=run.key,
                url=cited.url,
                domain=cited.domain,
                rank=rank,
                origin=cited.origin,
                classification=cited.classification,
                competitor_key=cited.domain.split(".")[0] if cited.classification == "competitor" else None,
                title=None,
            )
        )
    tracked = sum(n.occurrences for b, n in run.named.items() if not b.startswith("discovered:"))
    owned = sum(c.classification == "owned" for c in run.cited if c.origin != "search_source")
    citations = sum(c.origin != "search_source" for c in run.cited)
    s.add(
        RunMetrics(
            cell_key=run.key,
            target_mentioned=target is not None,
            target_rank=target.rank if target else None,
            share_of_voice=100 * target.chars / run.answer_chars if target else 0.0,
            mention_share=target.occurrences / tracked if target else (0.0 if tracked else None),
            target_sentiment=target.score if target else None,
            owned_citation_share=owned / citations if citations else None,
            target_mention_chars=target.chars if target else 0,
            answer_chars=run.answer_chars,
            target_occurrences=target.occurrences if target else 0,
            tracked_occurrences=tracked,
            owned_citations=owned,
            total_citations=citations,
        )
    )


@pytest.fixture
def document(db_url: str) -> dict[str, Any]:
    db = Database(db_url)
    store_rows(db)
    assert generate_analytics(db, "q_now") == {"queue_id": "q_now", "runs": 7, "visibility": 0.7143}
    with db.transaction() as s:
        report = s.get(AnalyticsReport, "q_now")
        assert report is not None
        return dict(report.document)


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


# Wilson 95% intervals, z = 1.96 (z² = 3.8416), rounded to 4 places:
#   5/7: p = .714286; denom = 1 + 3.8416/7 = 1.548800; centre = (.714286 + .274400)/1.5488 = .638356;
#        half = 1.96·√(.714286·.285714/7 + 3.8416/196)/1.5488 = 1.96·√.048755/1.5488 = .279427
#        -> [.358929, .917783]
#   3/4: denom = 1.9604; centre = (.75 + .4802)/1.9604 = .627525; half = 1.96·√(.046875 + .060025)/1.9604
#        = .326889 -> [.300636, .954414]
#   2/3: denom = 2.280533; centre = (.666667 + .640267)/2.280533 = .573082;
#        half = 1.96·√(.074074 + .106711)/2.280533 = .365427 -> [.207655, .938510]
#   4/7: centre = (.571429 + .274400)/1.5488 = .546119; half = 1.96·√(.034985 + .0196)/1.5488 = .295664
#        -> [.250454, .841783]
#   2/7: centre = (.285714 + .274400)/1.5488 = .361644; half = 1.96·√(.029155 + .0196)/1.5488 = .279427
#        -> [.082217, .641071]
CI_5_7 = [0.3589, 0.9178]
CI_3_4 = [0.3006, 0.9544]
CI_2_3 = [0.2077, 0.9385]
CI_4_7 = [0.2505, 0.8418]
CI_2_7 = [0.0822, 0.6411]


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
        "schema_version": "1.6",
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
        "samples",
    }  # fmt: skip
    assert document["extraction_versions"] == ["unversioned"]  # written before versions were recorded


def test_gaps_name_the_cells_where_competitors_are_named_and_the_org_is_not(document: dict[str, Any]) -> None:
    # r3 (gpt-4o/uk/best) names Northwind and Contoso, r6 (sonar/us/cheap) Contoso, neither Acme Bank.
    assert document["gaps"]["questions"] == [
        {
            "question": "best",
            "cells": 1,
            "of": 4,
            "models": ["gpt-4o"],
            "locations": ["uk"],
            "competitors": [{"brand": "contoso", "cells": 1}, {"brand": "northwind", "cells": 1}],
        },
        {
            "question": "cheap",
            "cells": 1,
            "of": 3,
            "models": ["sonar"],
            "locations": ["us"],
            "competitors": [{"brand": "contoso", "cells": 1}],
        },
    ]
    # r3 cites nerdwallet.com (its bankrate.com was only retrieved), which r1 cites beside Acme Bank.
    assert document["gaps"]["sources"] == []
