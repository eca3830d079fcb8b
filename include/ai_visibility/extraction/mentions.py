"""Mentions of the org and its competitors in one answer, plus brands discovered in it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ai_visibility.extraction import sentiment
from ai_visibility.extraction.brand_matching import ABSENCE, Hit, find_hits
from ai_visibility.extraction.brands import Brand, OrgView
from ai_visibility.extraction.text_units import Unit, plain, split_units, table_header_lines

SEPARATOR = " || "
WARNED = re.compile(
    r"\b(avoid|steer clear|not recommend(?:ed)?|wouldn'?t recommend|be (?:cautious|careful)|think twice|red flag)", re.I
)
RECOMMENDED = re.compile(
    r"\b(recommend(?:ed|s)?|best (?:overall|choice|option|pick|fit|bet)|top (?:pick|choice)|our pick|go with"
    r"|first choice|is the best|stands? out)\b",
    re.I,
)
COMPARED = re.compile(r"\b(vs\.?|versus|compared (?:to|with)|than|whereas|while)\b", re.I)
CONTINUES = re.compile(r"^(however|but|it|its|it's|they|their|customers|users|reviewers|patients|students)\b", re.I)
LEAD_NAME = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+\*\*(?P<name>[^*]{2,60})\*\*")
FIRST_CELL = re.compile(r"^\s*\|\s*(?P<name>[^|]{2,60}?)\s*\|")
NOT_A_BRAND = re.compile(
    r"^(best|pricing|price|key|features?|pros|cons|overview|summary|bottom line|verdict|note|tip|why|"
    r"what|how|when|who|option|tool|platform|category|feature|free|paid|plan|cost|rating|score|ease|"
    r"support|integrations?|the |a |an |step|other|our|my|your|top|conclusion|recommendation)\b",
    re.I,
)


@dataclass(frozen=True)
class MentionResult:
    brand: str
    brand_name: str
    brand_kind: str  # target | competitor | discovered
    occurrences: int
    first_offset: int | None
    rank: int | None
    mention_text: str
    mention_chars: int
    sentiment_score: float | None
    sentiment_label: str | None
    role: str

    @property
    def mentioned(self) -> bool:
        return self.occurrences > 0


def extract_mentions(answer: str, org: OrgView) -> list[MentionResult]:
    """One result per tracked brand (mentioned or not) and per discovered brand, with ranks."""
    units = split_units(answer)
    tracked = (org.target, *org.competitors)
    hits = find_hits(answer, tracked, units)
    discovered = _discover(answer, units, tracked)
    hits += find_hits(answer, discovered, units)
    firsts: dict[str, int] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        firsts.setdefault(hit.brand, hit.start)
    order = sorted(firsts.values())
    results = []
    for brand in (*tracked, *discovered):
        mine = [h for h in hits if h.brand == brand.key]
        results.append(_result(brand, mine, units, firsts, order))
    return [r for r in results if r.brand_kind != "discovered" or r.mentioned]


def _result(
    brand: Brand, hits: list[Hit], units: list[Unit], firsts: dict[str, int], order: list[int]
) -> MentionResult:
    if not hits:
        return absent(brand)
    naming = [u for u in units if any(u.start <= h.start < u.end for h in hits)]
    value = sentiment.score(" ".join(plain(u.text) for u in _with_continuations(naming, units)))
    return named(brand, len(hits), naming, firsts[brand.key], order, value, sentiment.label(value), _role(naming))


def absent(brand: Brand) -> MentionResult:
    return MentionResult(brand.key, brand.name, brand.kind, 0, None, None, "", 0, None, None, "absent")


def named(
    brand: Brand,
    occurrences: int,
    naming: list[Unit],
    first: int,
    firsts_in_order: list[int],
    score: float,
    sentiment_label: str,
    role: str,
) -> MentionResult:
    """A mentioned brand: its rank among every brand's first occurrence and the units naming it."""
    return MentionResult(
        brand=brand.key,
        brand_name=brand.name,
        brand_kind=brand.kind,
        occurrences=occurrences,
        first_offset=first,
        rank=1 + sum(1 for other in firsts_in_order if other < first),
        mention_text=SEPARATOR.join(u.text for u in naming),
        mention_chars=sum(len(u.text) for u in naming),
        sentiment_score=score,
        sentiment_label=sentiment_label,
        role=role,
    )


def _with_continuations(naming: list[Unit], units: list[Unit]) -> list[Unit]:
    """The naming units plus a following sentence that goes on about the brand ("However, it ...")."""
    found = list(naming)
    for unit in naming:
        index = units.index(unit)
        after = units[index + 1] if index + 1 < len(units) else None
        if after and after.kind == "sentence" and after.line == unit.line and CONTINUES.match(after.text):
            found.append(after)
    return found


def _role(naming: list[Unit]) -> str:
    text = " ".join(u.text for u in naming)
    if WARNED.search(text):
        return "warned_against"
    if RECOMMENDED.search(text):
        return "recommended"
    if any(u.kind == "table_row" for u in naming) or COMPARED.search(text):
        return "compared"
    return "listed"


def _discover(answer: str, units: list[Unit], tracked: tuple[Brand, ...]) -> tuple[Brand, ...]:
    """Untracked names that lead a list item (in bold) or a table row's first cell."""
    headers = table_header_lines(answer)
    known = find_hits(answer, tracked, units)
    names: dict[str, str] = {}
    for unit in units:
        match = (
            LEAD_NAME.match(unit.text)
            if unit.kind == "list_item"
            else (FIRST_CELL.match(unit.text) if unit.kind == "table_row" and unit.line not in headers else None)
        )
        if not match:
            continue
        name = plain(match.group("name")).strip(" :–—-")
        name = re.sub(r"\s*\(.*\)$", "", name)
        start = unit.start + match.start("name")
        if (
            not name
            or not name[0].isupper()
            or len(name.split()) > 4
            or NOT_A_BRAND.match(name)
            or ABSENCE.search(unit.text)
            or any(start <= h.start < start + len(match.group("name")) + 4 for h in known)
        ):
            continue
        names.setdefault(name.lower(), name)
    return tuple(
        Brand(
            key="discovered:" + re.sub(r"[^a-z0-9]+", "-", key).strip("-"),
            name=name,
            kind="discovered",
            aliases=(name,),
            negative_terms=(),
            domains=(),
        )
        for key, name in names.items()
    )
