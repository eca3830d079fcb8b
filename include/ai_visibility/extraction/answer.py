"""Everything extraction finds in one answer, as the JSON `ai-visibility extract` prints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from ai_visibility.extraction.brands import OrgView
from ai_visibility.extraction.citations import extract_citations, numbered_sources
from ai_visibility.extraction.claims import extract_claims
from ai_visibility.extraction.mentions import extract_mentions
from ai_visibility.extraction.metrics import compute_metrics


def extract_answer(answer: str, org: OrgView, raw_response: Mapping[str, Any] | None = None) -> dict[str, Any]:
    raw = raw_response or {}
    mentions = extract_mentions(answer, org)
    citations = extract_citations(answer, raw, org)
    cited = [c.classification for c in citations if c.origin != "search_source"]
    return {
        "metrics": asdict(compute_metrics(len(answer), mentions, cited)),
        "mentions": [{**asdict(m), "mentioned": m.mentioned} for m in mentions],
        "claims": [asdict(c) for c in extract_claims(answer, org, numbered_sources(raw))],
        "citations": [asdict(c) for c in citations],
        "aliases": {b.name: list(b.aliases) for b in (org.target, *org.competitors)},
    }
