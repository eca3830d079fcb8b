"""The rows each chart of the report plots, read from an analytics document.

Older documents lack `history` and `by_model_location`: the over-time chart then falls back to this
queue and the trend's previous figure, and the heatmap has no rows (None), which the page says.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]

# How a source kind reads on the chart; kinds the document adds later are shown by their key.
KIND_LABELS = {
    "owned": "owned",
    "competitor": "competitor sites",
    "news": "news",
    "forum": "forum / community",
    "review": "review sites",
    "reference": "reference",
    "social": "social / video",
    "government_education": "government / education",
    "vendor_other": "vendor / other",
}
# Each kind's colour, fixed whichever kinds a document cites, so two reports can be read side by side.
KIND_COLOURS = {
    "owned": "#d9480f",
    "competitor": "#4c6ef5",
    "news": "#2b8a3e",
    "forum": "#f59f00",
    "review": "#ae3ec9",
    "reference": "#1098ad",
    "social": "#e64980",
    "government_education": "#5c940d",
    "vendor_other": "#868e96",
}
# For kinds added after this table: picked by a digest of the kind's key, stable across documents.
LATER_KIND_COLOURS = ("#495057", "#a61e4d", "#364fc7", "#087f5b", "#e67700")
MAX_BRANDS = 12
BRAND_KINDS = {"target": "the org", "competitor": "tracked competitor", "discovered": "other brand named"}


@dataclass(frozen=True)
class Figures:
    over_time: list[Row]
    heatmap: list[Row] | None
    voices: list[Row]
    source_kinds: list[Row]
    kind_order: list[str]  # the labels of the kinds cited, in legend order
    kind_colours: list[str]  # the colour of each, in the same order


def chart_figures(document: dict[str, Any]) -> Figures:
    # Only the kinds cited: the document lists every kind, most of them at 0 in a small queue. In
    # KIND_LABELS' order, not the document's: a document read back from its pushed file or from
    # PostgreSQL has its keys sorted, and the colours and legend must not change with that.
    by_kind = document["citations"]["by_kind"]
    found: list[str] = [k for k, shares in by_kind.items() if k != "total" and shares.get("count")]
    kinds = [k for k in KIND_LABELS if k in found] + sorted(k for k in found if k not in KIND_LABELS)
    return Figures(
        over_time=_over_time(document),
        heatmap=_heatmap(document),
        voices=_voices(document),
        source_kinds=_source_kinds(document, kinds),
        kind_order=[KIND_LABELS.get(k, k) for k in kinds],
        kind_colours=[kind_colour(k) for k in kinds],
    )


def kind_colour(kind: str) -> str:
    if kind in KIND_COLOURS:
        return KIND_COLOURS[kind]
    digest = hashlib.sha256(kind.encode()).digest()
    return LATER_KIND_COLOURS[digest[0] % len(LATER_KIND_COLOURS)]


def _when(created_at: str | None) -> str:
    return created_at[:16].replace("T", " ") if created_at else "?"


def _over_time(document: dict[str, Any]) -> list[Row]:
    """Visibility per queue, oldest first, with its interval; this queue is last."""
    queue = document["queue"]
    visibility = document["overall"]["visibility"]
    current = {
        "queue": queue["id"],
        "when": _when(queue.get("created_at")),
        "rate": visibility["rate"],
        "ci95": visibility["ci95"],
        "n": document["overall"]["n"],
    }
    history = (document.get("history") or {}).get("queues")
    if history:
        points = [
            {
                "queue": h["queue_id"],
                "when": _when(h.get("created_at")),
                "rate": h["visibility"]["rate"],
                "ci95": h["visibility"].get("ci95"),
                "n": h.get("n"),
            }
            for h in history
            if h["queue_id"] != queue["id"]
        ]
    else:
        trend = document.get("trend") or {}
        before = (trend.get("visibility") or {}).get("before")
        points = (
            [{"queue": trend["previous_queue"], "when": "previous queue", "rate": before, "ci95": None, "n": None}]
            if before is not None
            else []
        )
    rows = []
    for order, point in enumerate([*points, current]):
        if point["rate"] is None:
            continue
        low, high = point["ci95"] or (None, None)
        rows.append(
            {
                "order": order,
                # The label must be unique per point: two queues may start in the same minute.
                "queue": f"{point['when']} · {point['queue'][-6:]}",
                "visibility": point["rate"],
                "low": low,
                "high": high,
                "current": point is current,
            }
        )
    return rows


def _heatmap(document: dict[str, Any]) -> list[Row] | None:
    grid = document.get("by_model_location")
    if not grid:
        return None
    return [
        {
            "model": model,
            "location": location,
            "visibility": block["visibility"]["rate"],
            "label": "n/a" if block["visibility"]["rate"] is None else f"{100 * block['visibility']['rate']:.0f}%",
            "n": block["n"],
        }
        for model, locations in sorted(grid.items())
        for location, block in sorted(locations.items())
    ]


def _voices(document: dict[str, Any]) -> list[Row]:
    """Mean share of voice of the org and the brands named beside it, largest first."""
    rows = [
        {
            "brand": row["name"],
            "kind": BRAND_KINDS.get(row["kind"], row["kind"]),
            "share_of_voice": row["share_of_voice"]["mean"] or 0.0,
            "visibility": row["visibility"]["rate"],
        }
        for row in document["competitors"]
    ]
    ranked = sorted(rows, key=lambda r: (-r["share_of_voice"], r["brand"]))
    # Answers can name dozens of brands: the chart keeps the largest voices and always the org.
    return [r for i, r in enumerate(ranked) if i < MAX_BRANDS or r["kind"] == BRAND_KINDS["target"]]


def _source_kinds(document: dict[str, Any], kinds: list[str]) -> list[Row]:
    """Each engine's citations split by source kind, all engines first; kinds never cited are left out."""
    citations = document["citations"]
    engines = [("all engines", citations["by_kind"]), *sorted(citations.get("by_model", {}).items())]
    return [
        {
            "engine": engine,
            "kind": KIND_LABELS.get(kind, kind),
            "kind_order": kinds.index(kind),
            "count": shares[kind]["count"],
            "share": shares[kind]["share"],
        }
        for engine, shares in engines
        for kind in kinds
        if shares.get(kind, {}).get("count")
    ]
