"""Hand-made rows of one org's queues, written straight into the tables as the micro-steps would have
left them, for tests of the analytics document and what is derived from it (history, exports, the
schema), and Wilson intervals worked out by hand for the figures they give.

The queue `q_now`: 2 models × 2 locations × 2 questions = 8 cells; 7 succeeded, 1 failed.

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

from ai_visibility.db import Database
from ai_visibility.db.models import (
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
            question_text=QUESTIONS[run.question],
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
