"""Step 5: the queue's analytics document, overall and by model, location and question.

Every rate is stored with the counts it is computed from, so rollups across documents stay exact.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ai_visibility.db import Database, upsert
from ai_visibility.db.engine import as_utc
from ai_visibility.db.models import (
    AIResponse,
    AnalyticsReport,
    Citation,
    Mention,
    Org,
    ProcessingQueue,
    Question,
    QuestionRun,
    QueueCell,
    RunMetrics,
    UsageEntry,
)
from ai_visibility.extraction.source_kinds import THIRD_PARTY_KINDS, SourceKinds, load_source_kinds
from ai_visibility.gaps import RunBrands, where_to_act
from ai_visibility.history import history_block, record_history
from ai_visibility.noise import judge_change
from ai_visibility.segments import segments
from ai_visibility.stats import clustered_wilson, ratio, sample_agreement

# 1.1: a failure names its cell by `cell_key`. 1.2: competitor rows carry visibility (with its interval)
# and share of voice the way the org's block does; the trend adds top-1 share and net sentiment.
# 1.3: `extraction_versions`, and a trend only within one extraction version.
# 1.4: citations by source kind (overall and per model), each top domain's kind, and the top pages;
# `gaps`: where competitors are named and the org is not, and the sources that cite only competitors.
# 1.5: `history` (the org's last queues), segments (`by_tag`, `by_branded`, `by_model_location`,
# `competitors_by_model`, `competitors_by_location`), competitor sentiment, and each trend figure's
# change in points and whether it is beyond noise.
# 1.6: `samples`: samples per cell, the design effect behind visibility's interval, sample agreement;
# visibility intervals count a cell's samples as one cluster.
# 1.7: `questions` (each question's text by key) and each gap's question `text`.
# 1.8: question texts are the wording the runs were asked in, not the org's file of the day:
# `question_wordings` for a question asked in several wordings, each gap's `text_changed`, and the
# trend's `reworded_questions`.
SCHEMA_VERSION = "1.8"
SOURCE_KINDS = ("owned", "competitor", *THIRD_PARTY_KINDS)
UNVERSIONED = "unversioned"  # runs extracted before versions were recorded


@dataclass(frozen=True)
class RunFacts:
    """One successful run with what the document aggregates."""

    key: str
    cell: tuple[str, str, str]  # question, model, location
    metrics: RunMetrics
    mentions: tuple[Mention, ...]
    cost_usd: float
    synthetic: bool
    sample: int  # which of the cell's samples this run answered
    # The wording the AI call asked (the org file's text now for a run that did not record one;
    # None when the question is no longer in the file either), and when it asked it.
    question_text: str | None
    asked_at: datetime

    @property
    def target(self) -> Mention | None:
        return next((m for m in self.mentions if m.brand_kind == "target"), None)


def generate_analytics(db: Database, queue_id: str, source_kinds: SourceKinds | None = None) -> dict[str, object]:
    """`source_kinds` classes third-party domains (the shipped table when None)."""
    kinds = source_kinds or load_source_kinds()
    with db.transaction() as s:
        queue = s.get(ProcessingQueue, queue_id)
        if queue is None:
            raise LookupError(f"processing queue {queue_id!r} does not exist")
        org = s.get(Org, queue.org_id)
        assert org is not None
        cells = s.scalars(select(QueueCell).where(QueueCell.queue_id == queue_id).order_by(QueueCell.position)).all()
        runs = _facts(s, queue_id)
        citations = s.execute(
            select(Citation, QueueCell.model_key)
            .join(QueueCell, QueueCell.key == Citation.cell_key)
            .where(QueueCell.queue_id == queue_id, QueueCell.status == "completed")
        ).all()
        overall = _block(runs)
        texts, wordings = _question_texts(s, org.id, cells, runs)
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "synthetic": any(r.synthetic for r in runs) or org.synthetic,
            "org": {"id": org.id, "name": org.name, "websites": org.websites},
            "queue": {
                "id": queue.id,
                "dag_run_id": queue.dag_run_id,
                "status": queue.status,
                "created_at": as_utc(queue.created_at).isoformat(),
                "finished_at": as_utc(queue.finished_at).isoformat() if queue.finished_at else None,
                "selection": queue.selection,
            },
            "questions": texts,
            "question_wordings": wordings,
            "extraction_versions": _versions(runs),
            "coverage": _coverage(cells),
            "samples": _samples(cells, runs),
            "overall": overall,
            "by_model": _grouped(runs, lambda r: r.cell[1]),
            "by_location": _grouped(runs, lambda r: r.cell[2]),
            "by_question": _grouped(runs, lambda r: r.cell[0]),
            **segments(s, org.id, runs, _block, _leaderboard),
            "competitors": _leaderboard(runs),
            "citations": _citations([(c, model) for c, model in citations], kinds),
            "gaps": where_to_act(
                [_brands(r) for r in runs],
                [
                    (c.cell_key, c.domain)
                    for c, _ in citations
                    if c.origin != "search_source" and c.classification == "third_party"
                ],
                kinds.kind_of,
                texts,
                reworded=wordings.keys(),
            ),
            "cost": _cost(s, queue, runs),
            "trend": _trend(s, queue, runs),
        }
        record_history(s, document)
        document["history"] = history_block(s, queue)
        upsert(
            s,
            AnalyticsReport,
            {
                "queue_id": queue_id,
                "schema_version": SCHEMA_VERSION,
                "document": document,
                "generated_at": datetime.now(UTC),
            },
        )
    return {"queue_id": queue_id, "runs": overall["n"], "visibility": overall["visibility"]["rate"]}


def _facts(s: Session, queue_id: str) -> list[RunFacts]:
    rows = s.execute(
        select(
            QuestionRun,
            RunMetrics,
            func.coalesce(QuestionRun.question_text, Question.text),
            func.coalesce(AIResponse.called_at, QuestionRun.created_at),
        )
        .join(RunMetrics, RunMetrics.cell_key == QuestionRun.id)
        .join(QueueCell, QueueCell.key == QuestionRun.id)
        .outerjoin(Question, (Question.org_id == QuestionRun.org_id) & (Question.key == QuestionRun.question_key))
        .outerjoin(AIResponse, AIResponse.cell_key == QuestionRun.id)
        .where(QueueCell.queue_id == queue_id, QueueCell.status == "completed")
        .order_by(QueueCell.position)
    ).all()
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in s.scalars(
        select(Mention).join(QueueCell, QueueCell.key == Mention.cell_key).where(QueueCell.queue_id == queue_id)
    ):
        mentions[m.cell_key].append(m)
    return [
        RunFacts(
            run.id,
            (run.question_key, run.model_key, run.location_key),
            metrics,
            tuple(mentions[run.id]),
            run.cost_usd,
            run.synthetic,
            run.sample,
            text,
            as_utc(asked_at),
        )
        for run, metrics, text, asked_at in rows
    ]


def _question_texts(
    s: Session, org_id: str, cells: Iterable[QueueCell], runs: Iterable[RunFacts]
) -> tuple[dict[str, str | None], dict[str, list[dict[str, Any]]]]:
    """Each question's text by key, and the wordings of the questions asked in more than one.

    The text is the wording of the question's most recently asked run among those aggregated: the
    answers were given to it, whatever the org's file says now. A question without a successful run
    gets the file's text (None once it is no longer there). Blocks and gaps name questions by key, a
    reader by what was asked; when the runs of one key were asked in several wordings (the question
    was edited while the queue ran, or a cell was cleared after the edit), a reader must know that
    its figures mix answers to each, and to what.
    """
    keys = sorted({c.question_key for c in cells})
    stored = dict(
        s.execute(select(Question.key, Question.text).where(Question.org_id == org_id, Question.key.in_(keys))).all()
    )
    asked: dict[str, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for run in runs:
        if run.question_text is not None:
            asked[run.cell[0]][run.question_text].append(run.asked_at)
    texts: dict[str, str | None] = {}
    wordings: dict[str, list[dict[str, Any]]] = {}
    for key in keys:
        # Last asked last; a tie (one instant) by text, so the same runs give the same document.
        ordered = sorted(asked.get(key, {}).items(), key=lambda item: (max(item[1]), item[0]))
        texts[key] = ordered[-1][0] if ordered else stored.get(key)
        if len(ordered) > 1:
            wordings[key] = [
                {
                    "text": text,
                    "runs": len(times),
                    "first_asked_at": min(times).isoformat(),
                    "last_asked_at": max(times).isoformat(),
                }
                for text, times in ordered
            ]
    return texts, wordings


def _brands(run: RunFacts) -> RunBrands:
    competitors = frozenset(m.brand for m in run.mentions if m.brand_kind == "competitor" and m.mentioned)
    return RunBrands(run.key, *run.cell, run.metrics.target_mentioned, competitors)


def _per_cell(runs: Iterable[RunFacts], hit: Callable[[RunFacts], bool]) -> list[tuple[int, int]]:
    """(runs where `hit` holds, runs) for each question × model × location, its samples together."""
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for run in runs:
        counts[run.cell][0] += hit(run)
        counts[run.cell][1] += 1
    return [(hits, n) for hits, n in counts.values()]


def _visibility(cells: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """Runs mentioning the brand ÷ runs, each cell given as (mentioning, runs): a cell's samples are
    one cluster of the interval (one sample per cell: the plain Wilson interval)."""
    mentioned, n = sum(m for m, _ in cells), sum(n for _, n in cells)
    interval, _ = clustered_wilson(cells)
    return {
        "mentioned": mentioned,
        "n": n,
        "rate": ratio(mentioned, n),
        "ci95": [round(interval[0], 4), round(interval[1], 4)] if interval else None,
    }


def _share_of_voice(total: float, n: int) -> dict[str, Any]:
    return {"sum": round(total, 4), "n": n, "mean": ratio(total, n)}


def _versions(runs: Iterable[RunFacts]) -> list[str]:
    """The extraction versions the runs were extracted by."""
    return sorted({r.metrics.extraction_version or UNVERSIONED for r in runs})


def _block(runs: list[RunFacts]) -> dict[str, Any]:
    n = len(runs)
    mentioned = [r for r in runs if r.metrics.target_mentioned]
    ranks = [r.metrics.target_rank for r in mentioned if r.metrics.target_rank is not None]
    sov = sum(r.metrics.share_of_voice for r in runs)
    # The label extraction stored (rules or the extraction model decided it), never one re-derived
    # from the score: the two modes draw the line between labels differently.
    labels = Counter(r.target.sentiment_label if r.target else None for r in mentioned)
    scores = [r.metrics.target_sentiment for r in mentioned if r.metrics.target_sentiment is not None]
    return {
        "n": n,
        "visibility": _visibility(_per_cell(runs, lambda r: r.metrics.target_mentioned)),
        "share_of_voice": _share_of_voice(sov, n),
        "rank": {
            "sum": sum(ranks),
            "n": len(ranks),
            "mean": ratio(sum(ranks), len(ranks), 2),
            "top1": ranks.count(1),
            "top1_share": ratio(ranks.count(1), len(ranks)),
        },
        "sentiment": {
            "positive": labels["positive"],
            "neutral": labels["neutral"],
            "negative": labels["negative"],
            "n": len(mentioned),
            "net": ratio(labels["positive"] - labels["negative"], len(mentioned)),
            "score_sum": round(sum(scores), 4),
            "mean_score": ratio(sum(scores), len(scores)),
        },
        "cost_usd": round(sum(r.cost_usd for r in runs), 6),
    }


def _grouped(runs: list[RunFacts], key: Callable[[RunFacts], str]) -> dict[str, Any]:
    groups: dict[str, list[RunFacts]] = defaultdict(list)
    for run in runs:
        groups[key(run)].append(run)
    return {k: _block(v) for k, v in sorted(groups.items())}


@dataclass
class _Tally:
    """One brand's counts over the runs, summed the way the org's block sums its own."""

    name: str
    kind: str
    mentioned: int = 0
    occurrences: int = 0
    share_of_voice: float = 0.0
    ranks: list[int] = field(default_factory=list)
    labels: Counter[str | None] = field(default_factory=Counter)
    cells: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # runs naming it, per cell


def _leaderboard(runs: list[RunFacts]) -> list[dict[str, Any]]:
    """Every brand named in the runs: visibility and mean share of voice as for the org (a run that
    does not name the brand counts as 0), its share of the tracked brands' occurrences, its rank."""
    board: dict[str, _Tally] = {}
    for run in runs:
        for m in run.mentions:
            tally = board.setdefault(m.brand, _Tally(m.brand_name, m.brand_kind))
            if not m.mentioned:
                continue
            tally.mentioned += 1
            tally.cells[run.cell] += 1
            tally.occurrences += m.occurrences
            tally.share_of_voice += 100 * m.mention_chars / run.metrics.answer_chars if run.metrics.answer_chars else 0
            tally.ranks += [m.rank] if m.rank is not None else []
            tally.labels[m.sentiment_label] += 1
    n = len(runs)
    sizes = Counter(run.cell for run in runs)
    tracked = sum(t.occurrences for t in board.values() if t.kind != "discovered")
    rows = [
        {
            "brand": brand,
            "name": t.name,
            "kind": t.kind,
            "visibility": _visibility([(t.cells[cell], size) for cell, size in sizes.items()]),
            "share_of_voice": _share_of_voice(t.share_of_voice, n),
            "occurrences": t.occurrences,
            "mention_share": ratio(t.occurrences, tracked) if t.kind != "discovered" else None,
            "rank": {"sum": sum(t.ranks), "n": len(t.ranks), "mean": ratio(sum(t.ranks), len(t.ranks), 2)},
            "sentiment": {
                "positive": t.labels["positive"],
                "neutral": t.labels["neutral"],
                "negative": t.labels["negative"],
                "n": t.mentioned,
                "net": ratio(t.labels["positive"] - t.labels["negative"], t.mentioned),
            },
        }
        for brand, t in board.items()
    ]
    return sorted(rows, key=lambda e: (e["kind"] == "discovered", -e["visibility"]["mentioned"], e["name"]))


def _cost(s: Session, queue: ProcessingQueue, runs: list[RunFacts]) -> dict[str, Any]:
    """Spend from the usage ledger (every billed call, retries included) next to the estimate.

    `calls` counts every ledger row: an `interrupted` call (cut off in flight) or an `unreadable` one
    (HTTP 200, a body that is not a response) may have been billed, so it counts as a call, at a cost
    of 0 since its cost is unknown.
    """
    rows = s.execute(
        select(
            UsageEntry.model_key,
            func.count(),
            func.sum(UsageEntry.cost_usd),
            func.sum(UsageEntry.input_tokens),
            func.sum(UsageEntry.output_tokens),
        )
        .where(UsageEntry.queue_id == queue.id)
        .group_by(UsageEntry.model_key)
    ).all()
    by_model = {
        key: {"calls": calls, "usd": round(usd or 0, 6), "input_tokens": tin or 0, "output_tokens": tout or 0}
        for key, calls, usd, tin, tout in rows
    }
    return {
        "estimated_usd": queue.estimated_cost_usd,
        "budget_usd": queue.budget_usd,
        "spent_usd": round(sum(m["usd"] for m in by_model.values()), 6),
        "kept_answers_usd": round(sum(r.cost_usd for r in runs), 6),
        "calls": sum(m["calls"] for m in by_model.values()),
        "by_model": by_model,
    }


def _citations(citations: Iterable[tuple[Citation, str]], source_kinds: SourceKinds) -> dict[str, Any]:
    everything = list(citations)
    items = [(c, model) for c, model in everything if c.origin != "search_source"]
    owners = Counter(c.classification for c, _ in items)

    def kind(c: Citation) -> str:
        return c.classification if c.classification != "third_party" else source_kinds.kind_of(c.domain)

    domains = Counter((c.domain, c.classification, kind(c)) for c, _ in items)
    pages = Counter((c.url, c.domain, kind(c)) for c, _ in items)
    models: dict[str, list[Citation]] = defaultdict(list)
    for c, model in items:
        models[model].append(c)
    # Ties by name: rows come back from the database in no promised order.
    top = sorted(domains.items(), key=lambda item: (-item[1], item[0]))[:10]
    top_pages = sorted(pages.items(), key=lambda item: (-item[1], item[0]))[:10]
    total = len(items)
    return {
        "total": total,
        **{
            owner: {"count": owners[owner], "share": ratio(owners[owner], total)}
            for owner in ("owned", "competitor", "third_party")
        },
        "by_kind": _kind_shares(kind(c) for c, _ in items),
        "by_model": {model: _kind_shares(kind(c) for c in cited) for model, cited in sorted(models.items())},
        "top_domains": [{"domain": d, "classification": o, "kind": k, "count": n} for (d, o, k), n in top],
        "top_pages": [{"url": u, "domain": d, "kind": k, "count": n} for (u, d, k), n in top_pages],
        "retrieved_not_cited": len(everything) - total,
    }


def _kind_shares(kinds: Iterable[str]) -> dict[str, Any]:
    counts = Counter(kinds)
    total = sum(counts.values())
    return {"total": total, **{k: {"count": counts[k], "share": ratio(counts[k], total)} for k in SOURCE_KINDS}}


def _coverage(cells: Iterable[QueueCell]) -> dict[str, Any]:
    items = list(cells)
    failed = [c for c in items if c.status == "failed"]
    return {
        "attempted": len(items),
        "succeeded": sum(c.status == "completed" for c in items),
        "failed": len(failed),
        "failures": [{"cell_key": c.key, "label": c.label, "step": c.failed_step, "reason": c.error} for c in failed],
        "reasons": dict(Counter(f"{c.failed_step or 'unfinished'}: {(c.error or '').split(':')[0]}" for c in failed)),
    }


def _samples(cells: Sequence[QueueCell], runs: list[RunFacts]) -> dict[str, Any]:
    """Samples per cell and what they show: how much a cell's samples move visibility's interval
    (design effect), and how often they agree on whether the org is mentioned, overall and per model."""
    per_cell = _per_cell(runs, lambda r: r.metrics.target_mentioned)
    _, effective_n = clustered_wilson(per_cell)
    models: dict[str, list[RunFacts]] = defaultdict(list)
    for run in runs:
        models[run.cell[1]].append(run)
    return {
        "per_cell": max((c.sample for c in cells), default=1),
        "cells": len(per_cell),
        "effective_n": round(effective_n, 4),
        "design_effect": ratio(len(runs), effective_n),
        "agreement": sample_agreement(per_cell),
        "agreement_by_model": {
            model: sample_agreement(_per_cell(of_model, lambda r: r.metrics.target_mentioned))
            for model, of_model in sorted(models.items())
        },
    }


# Each trend figure as the numerator and denominator its block stores (and the places it is rounded
# to), so the change is taken between the exact fractions rather than between two rounded figures.
TREND_FIGURES: dict[str, Callable[[dict[str, Any]], tuple[float, int, int]]] = {
    "visibility": lambda b: (b["visibility"]["mentioned"], b["n"], 4),
    "share_of_voice": lambda b: (b["share_of_voice"]["sum"], b["n"], 4),
    "rank": lambda b: (b["rank"]["sum"], b["rank"]["n"], 2),
    "top1_share": lambda b: (b["rank"]["top1"], b["rank"]["n"], 4),
    "sentiment_net": lambda b: (b["sentiment"]["positive"] - b["sentiment"]["negative"], b["sentiment"]["n"], 4),
}


def _trend(s: Session, queue: ProcessingQueue, runs: list[RunFacts]) -> dict[str, Any]:
    previous = s.scalars(
        select(ProcessingQueue)
        .where(
            ProcessingQueue.org_id == queue.org_id,
            ProcessingQueue.id != queue.id,
            ProcessingQueue.status.in_(("completed", "partial")),
            ProcessingQueue.created_at < queue.created_at,
        )
        .order_by(ProcessingQueue.created_at.desc())
        .limit(1)
    ).first()
    if previous is None:
        return {"previous_queue": None}
    # A cell is matched with the same sample of it: sample 2 of a cell only with sample 2.
    before = {(r.cell, r.sample): r for r in _facts(s, previous.id)}
    now = {(r.cell, r.sample): r for r in runs}
    versions = {"now": _versions(now.values()), "before": _versions(before.values())}
    if now and before and (len(versions["now"]) != 1 or versions["now"] != versions["before"]):
        # Rules that changed between the two queues would show up as a change in visibility.
        return {
            "previous_queue": previous.id,
            "comparable": False,
            "extraction_versions": versions,
            "reason": f"the runs were extracted by different rules (now {versions['now']}, before "
            f"{versions['before']}): reprocess both queues with reprocess_org to compare them",
        }
    matched = sorted(set(before) & set(now))
    old_cells = s.execute(
        select(QueueCell.question_key, QueueCell.model_key, QueueCell.location_key).where(
            QueueCell.queue_id == previous.id
        )
    ).all()
    new_cells = s.execute(
        select(QueueCell.question_key, QueueCell.model_key, QueueCell.location_key).where(
            QueueCell.queue_id == queue.id
        )
    ).all()
    changed = {
        name: {c[i] for c in old_cells} != {c[i] for c in new_cells}
        for i, name in enumerate(("questions", "models", "locations"))
    }
    then_runs = [before[c] for c in matched]
    now_runs = [now[c] for c in matched]
    reworded = _reworded(then_runs, now_runs)
    then_block, now_block = _block(then_runs), _block(now_runs)
    return {
        "previous_queue": previous.id,
        "comparable": True,
        "extraction_version": next(iter(versions["now"] + versions["before"]), None),
        "matched_cells": len(matched),
        "set_changed": changed,
        "reworded_questions": reworded,
        "flagged": any(changed.values()) or bool(reworded),
        **{
            name: judge_change(name, _change(fraction, now_block, then_block), now_runs, then_runs)
            for name, fraction in TREND_FIGURES.items()
        },
    }


def _reworded(then_runs: Iterable[RunFacts], now_runs: Iterable[RunFacts]) -> list[str]:
    """Keys of the matched questions whose runs were asked in other wordings before than now: their
    change may be the new wording's, not the engines'."""
    wordings: dict[str, tuple[set[str | None], set[str | None]]] = defaultdict(lambda: (set(), set()))
    for side, runs in enumerate((then_runs, now_runs)):
        for run in runs:
            wordings[run.cell[0]][side].add(run.question_text)
    return sorted(key for key, (then, now) in wordings.items() if then != now)


def _change(
    fraction: Callable[[dict[str, Any]], tuple[float, int, int]], now: dict[str, Any], before: dict[str, Any]
) -> dict[str, float | None]:
    (a, n_now, digits), (b, n_before, _) = fraction(now), fraction(before)
    return {
        "now": ratio(a, n_now, digits),
        "before": ratio(b, n_before, digits),
        "change": round(a / n_now - b / n_before, 4) if n_now and n_before else None,
    }
