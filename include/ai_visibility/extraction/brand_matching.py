"""Where each tracked brand is named in an answer: case-insensitive, on word boundaries, over aliases.

Not a mention: a name inside a URL, a negative term, or a statement that the assistant found
nothing about the brand ("I couldn't find information about X").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.extraction.text_units import Unit
from ai_visibility.extraction.urls import url_spans
from ai_visibility.org_store import Brand

_QUALIFIER = r"(?:reliable|specific|much|detailed|credible|public(?:ly available)?|up-to-date|recent)"
ABSENCE = re.compile(
    r"\b(?:(?:could(?:n'?t| not)|can(?:'?t|not)|was unable to|am unable to|unable to|did(?:n'?t| not)) "
    rf"(?:find|locate|identify|verify)(?: any)?(?: {_QUALIFIER})*"
    r" (?:information|details|data|reviews|mentions|sources|evidence)"
    r"|(?:i'?m|i am) not (?:aware of|familiar with)"
    r"|(?:i )?(?:do(?:n'?t| not)|did(?:n'?t| not)) have (?:any |specific |enough |reliable )*"
    r"(?:information|details|data) (?:on|about)"
    r"|there (?:is|was) (?:no|little|limited) (?:reliable |public |publicly available )?"
    r"(?:information|data) (?:on|about|regarding)"
    r"|no (?:reliable |specific )?information (?:is |was )?(?:available )?(?:on|about|regarding))",
    re.I,
)


@dataclass(frozen=True)
class Hit:
    brand: str
    start: int
    end: int


def alias_pattern(aliases: Sequence[str]) -> re.Pattern[str]:
    """One regex over all spellings, longest first, bounded so `Zoom` never matches `Zoominfo`."""
    words = sorted({a.strip() for a in aliases if a.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"[\s-]?") for w in words)
    return re.compile(rf"(?<![\w@/.-])(?:{body})(?![\w-]|\.\w)", re.I)


def excluded_spans(answer: str, units: Sequence[Unit]) -> list[tuple[int, int]]:
    spans = url_spans(answer)
    spans += [(u.start, u.end) for u in units if ABSENCE.search(u.text)]
    return spans


def find_hits(answer: str, brands: Sequence[Brand], units: Sequence[Unit]) -> list[Hit]:
    """Every counted occurrence of every brand, in text order, overlaps resolved to the longest name."""
    blocked = excluded_spans(answer, units)
    candidates: list[Hit] = []
    for brand in brands:
        negatives = (
            [(m.start(), m.end()) for m in alias_pattern(brand.negative_terms).finditer(answer)]
            if brand.negative_terms
            else []
        )
        for m in alias_pattern(brand.aliases).finditer(answer):
            if _overlaps(m.start(), m.end(), blocked) or _overlaps(m.start(), m.end(), negatives):
                continue
            if _names_something_else(answer, m, brand):
                continue
            candidates.append(Hit(brand.key, m.start(), m.end()))
    candidates.sort(key=lambda h: (h.start, -(h.end - h.start)))
    hits: list[Hit] = []
    for hit in candidates:
        if hits and hit.start < hits[-1].end:
            continue
        hits.append(hit)
    return hits


def _names_something_else(answer: str, match: re.Match[str], brand: Brand) -> bool:
    """A short form of the name ("Northwind" for "Northwind Bank") that is part of another name
    ("Northwind Capital Partners") or a generic phrase ("the Fernhill trail") is not the brand."""
    found = match.group(0).lower()
    full = brand.name.lower()
    if not full.startswith(found + " "):
        return False
    after = answer[match.end() : match.end() + 40]
    following = re.match(r" ([A-Za-z][\w&'-]*)", after)
    if following is None:
        return False
    word = following.group(1)
    if word[0].isupper():
        longer = f"{found} {word.lower()}"
        return not any(a.lower().startswith(longer) for a in brand.aliases)
    return answer[max(0, match.start() - 4) : match.start()].lower() == "the "


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)
