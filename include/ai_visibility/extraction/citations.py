"""Citations of one answer: the provider's own fields first, then URLs written in the text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ai_visibility.extraction.brands import OrgView
from ai_visibility.extraction.domains import registrable_domain
from ai_visibility.extraction.limits import readable
from ai_visibility.extraction.urls import find_urls, is_image_url, normalize_url

MARKER = re.compile(r"\[(\d{1,3})\](?!\()")


@dataclass(frozen=True)
class CitationResult:
    url: str
    domain: str
    rank: int
    origin: str  # annotation | inline | search_source (retrieved by the engine's search, not cited)
    classification: str  # owned | competitor | third_party
    competitor_key: str | None
    title: str | None


def provider_citations(raw_response: Mapping[str, Any]) -> list[tuple[str, str | None, str]]:
    """(url, title, origin) from the provider's own fields, in the provider's order.

    Chat Completions: `url_citation` annotations (OpenAI) and `citations` / `search_results`
    (Perplexity). Responses API: `url_citation` annotations of the output text, then the sources the
    web search retrieved (origin `search_source`: retrieved, not necessarily cited).
    """
    found: list[tuple[str, str | None, str]] = []
    for choice in raw_response.get("choices") or []:
        for note in (choice.get("message") or {}).get("annotations") or []:
            cited = note.get("url_citation") or {}
            if note.get("type") == "url_citation" and cited.get("url"):
                found.append((cited["url"], cited.get("title"), "annotation"))
    titles = {r.get("url"): r.get("title") for r in raw_response.get("search_results") or [] if isinstance(r, dict)}
    found += [
        (url, titles.get(url), "annotation") for url in raw_response.get("citations") or [] if isinstance(url, str)
    ]
    found += [(url, title, "annotation") for url, title in titles.items() if isinstance(url, str)]
    sources: list[tuple[str, str | None, str]] = []
    for item in raw_response.get("output") or []:
        for part in item.get("content") or []:
            for note in part.get("annotations") or []:
                if note.get("type") == "url_citation" and note.get("url"):
                    found.append((note["url"], note.get("title"), "annotation"))
        for source in (item.get("action") or {}).get("sources") or []:
            if source.get("url"):
                sources.append((source["url"], None, "search_source"))
    return found + sources


def numbered_sources(raw_response: Mapping[str, Any]) -> list[str]:
    """The list `[n]` markers in the text point into (1-based), when the provider gives one."""
    return [u for u in raw_response.get("citations") or [] if isinstance(u, str)]


def extract_citations(answer: str, raw_response: Mapping[str, Any], org: OrgView) -> list[CitationResult]:
    """Normalised, classed and deduplicated citations; the first place a URL appears sets its rank."""
    answer = readable(answer)
    native = provider_citations(raw_response)
    cited = [c for c in native if c[2] != "search_source"]
    candidates = cited + [(f.url, f.title, "inline") for f in find_urls(answer)]
    candidates += [c for c in native if c[2] == "search_source"]
    owners = _owners(org)
    results: dict[str, CitationResult] = {}
    for url, title, origin in candidates:
        normal = normalize_url(url)
        if normal is None or normal in results or is_image_url(normal):
            continue
        domain = registrable_domain(normal)
        kind, competitor = owners.get(domain, ("third_party", None))
        results[normal] = CitationResult(normal, domain, len(results) + 1, origin, kind, competitor, title)
    return list(results.values())


def _owners(org: OrgView) -> dict[str, tuple[str, str | None]]:
    owners: dict[str, tuple[str, str | None]] = {}
    for competitor in org.competitors:
        for domain in competitor.domains:
            owners[domain] = ("competitor", competitor.key)
    for domain in org.target.domains:
        owners[domain] = ("owned", None)
    return owners
