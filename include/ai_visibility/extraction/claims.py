"""Factual statements of one answer, in order and verbatim, with the citations that back them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.extraction import sentiment
from ai_visibility.extraction.brand_matching import ABSENCE, find_hits
from ai_visibility.extraction.brands import OrgView
from ai_visibility.extraction.citations import MARKER
from ai_visibility.extraction.limits import readable
from ai_visibility.extraction.text_units import Unit, plain, split_units, table_header_lines
from ai_visibility.extraction.urls import find_urls, normalize_url

NOT_A_CLAIM = re.compile(
    r"^(here (?:are|is|'s)|sure|certainly|great question|in summary|to summari[sz]e|overall,? (?:the )?best|"
    r"let me know|i hope|hope this|if you(?:'d| would)? like|sources?:?$|references?:?$|note:|disclaimer)",
    re.I,
)
ONLY_LINKS = re.compile(r"^[\s\-*•\d.()\[\]]*$")


@dataclass(frozen=True)
class ClaimResult:
    position: int
    text: str
    names_target: bool
    sentiment_score: float
    sentiment_label: str
    citation_urls: tuple[str, ...]


def extract_claims(answer: str, org: OrgView, numbered_sources: Sequence[str] = ()) -> list[ClaimResult]:
    answer = readable(answer)
    units = split_units(answer)
    headers = table_header_lines(answer)
    target_starts = [h.start for h in find_hits(answer, [org.target], units)]
    claims: list[ClaimResult] = []
    for index, unit in enumerate(units):
        if not _is_claim(unit, headers):
            continue
        urls = unit_citations(unit, numbered_sources)
        following = units[index + 1] if index + 1 < len(units) else None
        if following is not None and _is_citation_only(following):
            urls += [u for u in unit_citations(following, numbered_sources) if u not in urls]
        value = sentiment.score(plain(unit.text))
        claims.append(
            ClaimResult(
                position=len(claims) + 1,
                text=unit.text,
                names_target=bisect.bisect_left(target_starts, unit.start)
                < bisect.bisect_left(target_starts, unit.end),
                sentiment_score=value,
                sentiment_label=sentiment.label(value),
                citation_urls=tuple(urls),
            )
        )
    return claims


def _is_claim(unit: Unit, headers: set[int]) -> bool:
    if unit.kind == "heading" or (unit.kind == "table_row" and unit.line in headers):
        return False
    text = _without_links(plain(unit.text))
    if text.endswith("?") or text.endswith(":") or NOT_A_CLAIM.match(text) or ABSENCE.search(text):
        return False
    return len(text.split()) >= 4


def _is_citation_only(unit: Unit) -> bool:
    return bool(find_urls(unit.text) or MARKER.search(unit.text)) and bool(ONLY_LINKS.match(_without_links(unit.text)))


def _without_links(text: str) -> str:
    for found in sorted(find_urls(text), key=lambda f: -f.start):
        text = text[: found.start] + text[found.end :]
    return MARKER.sub("", text).strip()


def unit_citations(unit: Unit, numbered_sources: Sequence[str]) -> list[str]:
    urls = [normalize_url(f.url) for f in find_urls(unit.text)]
    for m in MARKER.finditer(unit.text):
        n = int(m.group(1))
        if 1 <= n <= len(numbered_sources):
            urls.append(normalize_url(numbered_sources[n - 1]))
    return list(dict.fromkeys(u for u in urls if u))
