"""An org's metric history: each queue's analytics stored as counts and sums (`metric_history`), and
the time series read back from them with set-based SQL.

Each row is one component of one metric (numerator and denominator) of one segment of one queue, so
any rollup across queues or segments is a sum of rows, never an average of rounded rates. Rows are
derived from the analytics document as it is generated, in the same transaction, and replace the
queue's earlier rows: regenerating a queue's analytics rewrites its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import Session

from ai_visibility.db import upsert
from ai_visibility.db.engine import as_utc
from ai_visibility.db.models import MetricHistory, ProcessingQueue
from ai_visibility.stats import ratio, wilson_interval

DIMENSIONS = ("overall", "model", "location", "question", "tag", "branded", "competitor")
# The document's blocks each dimension is read from (competitors and citations are handled apart).
SEGMENT_BLOCKS = {
    "model": "by_model",
    "location": "by_location",
    "question": "by_question",
    "tag": "by_tag",
    "branded": "by_branded",
}
OVERALL = "all"
# The metrics a series reads back, by component name.
SERIES_METRICS = (
    "visibility",
    "share_of_voice",
    "rank",
    "top1",
    "sentiment_positive",
    "sentiment_neutral",
    "sentiment_negative",
    "mention_share",
)
DEFAULT_QUEUES = 12


def metric_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The history rows of one analytics document."""
    queue = document["queue"]
    base = {
        "queue_id": queue["id"],
        "org_id": document["org"]["id"],
        "queue_created_at": datetime.fromisoformat(queue["created_at"]),
        "extraction_version": ",".join(document["extraction_versions"]) or None,
    }
    rows = {("overall", OVERALL, m): c for m, c in _block_components(document["overall"]).items()}
    for dimension, name in SEGMENT_BLOCKS.items():
        for value, block in document.get(name, {}).items():
            rows |= {(dimension, value, m): c for m, c in _block_components(block).items()}
    board = document["competitors"]
    tracked = sum(row["occurrences"] for row in board if row["kind"] != "discovered")
    for row in board:
        if row["kind"] == "target":
            rows[("overall", OVERALL, "mention_share")] = (row["occurrences"], tracked)
        elif row["kind"] == "competitor":
            components = _brand_components(row) | {"mention_share": (row["occurrences"], tracked)}
            rows |= {("competitor", row["brand"], m): c for m, c in components.items()}
    citations = document["citations"]
    for owner in ("owned", "competitor", "third_party"):
        rows[("overall", OVERALL, f"citations_{owner}")] = (citations[owner]["count"], citations["total"])
    rows |= _kind_rows("overall", OVERALL, citations["by_kind"])
    for model, shares in citations["by_model"].items():
        rows |= _kind_rows("model", model, shares)
    return [
        {**base, "dimension": d, "value": v, "metric": m, "numerator": float(num), "denominator": int(den)}
        for (d, v, m), (num, den) in rows.items()
    ]


def _brand_components(block: dict[str, Any]) -> dict[str, tuple[float, int]]:
    sentiment = block["sentiment"]
    return {
        "visibility": (block["visibility"]["mentioned"], block["visibility"]["n"]),
        "share_of_voice": (block["share_of_voice"]["sum"], block["share_of_voice"]["n"]),
        "rank": (block["rank"]["sum"], block["rank"]["n"]),
        **{f"sentiment_{label}": (sentiment[label], sentiment["n"]) for label in ("positive", "neutral", "negative")},
    }


def _block_components(block: dict[str, Any]) -> dict[str, tuple[float, int]]:
    return _brand_components(block) | {"top1": (block["rank"]["top1"], block["rank"]["n"])}


def _kind_rows(dimension: str, value: str, shares: dict[str, Any]) -> dict[tuple[str, str, str], tuple[float, int]]:
    return {
        (dimension, value, f"citations_kind_{kind}"): (share["count"], shares["total"])
        for kind, share in shares.items()
        if kind != "total"
    }


def record_history(s: Session, document: dict[str, Any]) -> None:
    """Make the queue's history rows exactly those of `document`, in the caller's transaction."""
    s.execute(delete(MetricHistory).where(MetricHistory.queue_id == document["queue"]["id"]))
    upsert(s, MetricHistory, metric_rows(document))


@dataclass(frozen=True)
class Point:
    """One queue's figures for one segment value, from its history rows."""

    queue_id: str
    created_at: datetime
    extraction_version: str | None
    value: str
    figures: dict[str, tuple[float, int] | None]

    def as_dict(self) -> dict[str, Any]:
        def count(metric: str) -> int:
            pair = self.figures[metric]
            return int(pair[0]) if pair else 0

        def denominator(metric: str) -> int:
            pair = self.figures[metric]
            return pair[1] if pair else 0

        n = denominator("visibility")
        mentioned = count("visibility")
        interval = wilson_interval(mentioned, n)
        sov = self.figures["share_of_voice"]
        rank = self.figures["rank"]
        sentiment_n = denominator("sentiment_positive")
        positive, negative = count("sentiment_positive"), count("sentiment_negative")
        share = self.figures["mention_share"]
        return {
            "queue_id": self.queue_id,
            "created_at": as_utc(self.created_at).isoformat(),
            "extraction_version": self.extraction_version,
            "n": n,
            "visibility": {
                "mentioned": mentioned,
                "rate": ratio(mentioned, n),
                "ci95": [round(interval[0], 4), round(interval[1], 4)] if interval else None,
            },
            "share_of_voice": {"sum": round(sov[0], 4) if sov else 0.0, "mean": ratio(*sov) if sov else None},
            "rank": {
                "mean": ratio(rank[0], rank[1], 2) if rank else None,
                "n": rank[1] if rank else 0,
                "top1_share": ratio(count("top1"), denominator("top1")) if self.figures["top1"] else None,
            },
            "sentiment": {
                "positive": positive,
                "neutral": count("sentiment_neutral"),
                "negative": negative,
                "n": sentiment_n,
                "net": ratio(positive - negative, sentiment_n),
            },
            "mention_share": ratio(*share) if share else None,
        }


def series(
    s: Session,
    org_id: str,
    dimension: str = "overall",
    since: datetime | None = None,
    queue_ids: Iterable[str] | None = None,
) -> list[Point]:
    """Per queue (oldest first) and segment value, the figures of `dimension`: one query that pivots
    the metric rows into columns, over finished queues (completed or partial) and `queue_ids`."""
    h = MetricHistory
    columns = [
        col
        for metric in SERIES_METRICS
        for col in (
            func.max(case((h.metric == metric, h.numerator))).label(f"{metric}_num"),
            func.max(case((h.metric == metric, h.denominator))).label(f"{metric}_den"),
        )
    ]
    query = (
        select(h.queue_id, h.queue_created_at, h.extraction_version, h.value, *columns)
        .join(ProcessingQueue, ProcessingQueue.id == h.queue_id)
        .where(h.org_id == org_id, h.dimension == dimension, h.metric.in_(SERIES_METRICS))
        .group_by(h.queue_id, h.queue_created_at, h.extraction_version, h.value)
        .order_by(h.queue_created_at, h.queue_id, h.value)
    )
    if queue_ids is not None:
        query = query.where(h.queue_id.in_(list(queue_ids)))
    else:
        query = query.where(ProcessingQueue.status.in_(("completed", "partial")))
    if since is not None:
        query = query.where(h.queue_created_at >= since)
    return [
        Point(
            row.queue_id,
            row.queue_created_at,
            row.extraction_version,
            row.value,
            {
                metric: None
                if getattr(row, f"{metric}_den") is None
                else (getattr(row, f"{metric}_num"), getattr(row, f"{metric}_den"))
                for metric in SERIES_METRICS
            },
        )
        for row in s.execute(query)
    ]


def history_block(s: Session, queue: ProcessingQueue, limit: int = DEFAULT_QUEUES) -> dict[str, Any]:
    """The document's `history`: the org's last `limit` finished queues up to this one (this one
    included, whatever its status), oldest first."""
    h = MetricHistory
    recent: Sequence[str] = s.scalars(
        select(h.queue_id)
        .join(ProcessingQueue, ProcessingQueue.id == h.queue_id)
        .where(
            h.org_id == queue.org_id,
            h.dimension == "overall",
            h.metric == "visibility",
            h.queue_created_at <= queue.created_at,
            or_(ProcessingQueue.status.in_(("completed", "partial")), h.queue_id == queue.id),
        )
        .order_by(h.queue_created_at.desc(), h.queue_id.desc())
        .limit(limit)
    ).all()
    points = series(s, queue.org_id, queue_ids=recent)
    return {"queues": [p.as_dict() for p in points]}
