"""Everything extraction finds in one answer, as the JSON `ai-visibility extract` prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from ai_visibility.extraction.brands import OrgView
from ai_visibility.extraction.citations import extract_citations, numbered_sources
from ai_visibility.extraction.claims import extract_claims
from ai_visibility.extraction.limits import readable
from ai_visibility.extraction.mentions import read_mentions
from ai_visibility.extraction.metrics import compute_metrics


def extract_answer(answer: str, org: OrgView, raw_response: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Metrics, mentions, the passages each brand's figures are read from (so a user can see why its
    share of voice is what it is), claims, citations and aliases."""
    raw = raw_response or {}
    read = read_mentions(answer, org)
    mentions = read.results
    citations = extract_citations(answer, raw, org)
    cited = [c.classification for c in citations if c.origin != "search_source"]
    read_chars = len(readable(answer))
    return {
        "metrics": asdict(compute_metrics(read_chars, mentions, cited)),
        "truncated_from": read.truncated_from,
        "mentions": [{**asdict(m), "mentioned": m.mentioned} for m in mentions],
        "passages": {
            b.brand_name: [
                {"kind": p.kind, "start": p.start, "end": p.end, "text": answer[p.start : p.end]} for p in b.passages
            ]
            for b in read.passages
        },
        "claims": [asdict(c) for c in extract_claims(answer, org, numbered_sources(raw))],
        "citations": [asdict(c) for c in citations],
        "aliases": {b.name: list(b.aliases) for b in (org.target, *org.competitors)},
    }
