"""Where each tracked brand is named in an answer: case-insensitive, on word boundaries, over aliases.

Not a mention: a name inside a URL, a negative term, or a statement that the assistant found
nothing about the brand ("I couldn't find information about X").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.extraction.brands import Brand
from ai_visibility.extraction.text_units import Unit
from ai_visibility.extraction.urls import url_spans

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


# Brand names that are also everyday words: matched only when used as a name.
COMMON_WORDS = frozenset(
    """
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december zoom community notion slack square stripe target apple
amazon box loom front close copper mint chime ally chase discover progressive oracle match hinge signal
shift pitch frame craft linear height coda bench gusto ramp mercury wise nest ring hive sketch ghost
medium make drift gong outreach apollo clay common basis harvest float forecast guru lattice culture
bolt compass fountain sonar chorus loop quill anchor beacon canvas atlas summit
""".split()  # noqa: SIM905 - a word list reads better as text
)
WORD_CONTEXT_BEFORE = re.compile(r"\b(on|every|next|last|this|each|by|until|since|per|a|an|the|our|your|their|my)\s+$")


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
            if _names_something_else(answer, m, brand) or _used_as_a_word(answer, m):
                continue
            candidates.append(Hit(brand.key, m.start(), m.end()))
    candidates.sort(key=lambda h: (h.start, -(h.end - h.start)))
    hits: list[Hit] = []
    for hit in candidates:
        if hits and hit.start < hits[-1].end:
            continue
        hits.append(hit)
    return hits


def _used_as_a_word(answer: str, match: re.Match[str]) -> bool:
    """A brand whose name is an ordinary word ("Zoom", "Monday", "Community") counts only when it is
    written as a name: capitalised, not after "on", "every", "the" and the like, and not "Zoom in"."""
    found = match.group(0)
    if " " in found or found.lower() not in COMMON_WORDS:
        return False
    if not found[0].isupper():
        return True
    before = answer[max(0, match.start() - 8) : match.start()].lower()
    after = answer[match.end() : match.end() + 5].lower()
    return bool(WORD_CONTEXT_BEFORE.search(before)) or after.startswith((" in ", " out ", " into "))


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
