"""Competitive metrics of one answer, from its mentions and citations (the formulas of
`docs/definitions.md`, "Per-run metrics")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class MentionCounts(Protocol):
    @property
    def brand_kind(self) -> str: ...
    @property
    def occurrences(self) -> int: ...
    @property
    def mention_chars(self) -> int: ...
    @property
    def rank(self) -> int | None: ...
    @property
    def sentiment_score(self) -> float | None: ...


@dataclass(frozen=True)
class Metrics:
    target_mentioned: bool
    target_rank: int | None
    share_of_voice: float
    mention_share: float | None
    target_sentiment: float | None
    owned_citation_share: float | None
    target_mention_chars: int
    answer_chars: int
    target_occurrences: int
    tracked_occurrences: int
    owned_citations: int
    total_citations: int


def compute_metrics(answer_chars: int, mentions: Sequence[MentionCounts], citation_classes: Sequence[str]) -> Metrics:
    """`citation_classes`: the classification of each cited URL (retrieved-only sources excluded)."""
    target = next((m for m in mentions if m.brand_kind == "target"), None)
    if target is None:
        raise ValueError("the mentions of an answer always include the target's row")
    tracked = sum(m.occurrences for m in mentions if m.brand_kind != "discovered")
    owned = sum(1 for c in citation_classes if c == "owned")
    return Metrics(
        target_mentioned=target.occurrences > 0,
        target_rank=target.rank,
        share_of_voice=round(100 * target.mention_chars / answer_chars, 4) if answer_chars else 0.0,
        mention_share=round(target.occurrences / tracked, 4) if tracked else None,
        target_sentiment=target.sentiment_score,
        owned_citation_share=round(owned / len(citation_classes), 4) if citation_classes else None,
        target_mention_chars=target.mention_chars,
        answer_chars=answer_chars,
        target_occurrences=target.occurrences,
        tracked_occurrences=tracked,
        owned_citations=owned,
        total_citations=len(citation_classes),
    )
