"""Where each tracked brand is named in an answer: case-insensitive, on word boundaries, over aliases.

A domain written as text ("[northwindbank.com](…)", "book at northwindbank.com") names its brand
when it is the brand's own. Not a mention: a name inside a URL, a negative term, or a statement that the assistant found
nothing about the brand ("I couldn't find information about X").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ai_visibility.extraction.brands import Brand
from ai_visibility.extraction.domains import registrable_domain
from ai_visibility.extraction.text_units import Unit
from ai_visibility.extraction.urls import url_spans
from ai_visibility.extraction.words import LEGAL_SUFFIX, is_descriptor, is_everyday_phrase, is_place_noun

_QUALIFIER = r"(?:reliable|specific|much|detailed|credible|public(?:ly available)?|up-to-date|recent)"
ABSENCE = re.compile(
    r"\b(?:(?:could(?:n['’]?t| not)|can(?:['’]?t|not)|was unable to|am unable to|unable to|did(?:n['’]?t| not)) "
    rf"(?:find|locate|identify|verify)(?: any)?(?: {_QUALIFIER})*"
    r" (?:information|details|data|reviews|mentions|sources|evidence)"
    r"|(?:i['’]?m|i am) not (?:aware of|familiar with)"
    r"|(?:i )?(?:do(?:n['’]?t| not)|did(?:n['’]?t| not)) have (?:any |specific |enough |reliable )*"
    r"(?:information|details|data) (?:on|about)"
    r"|there (?:is|was) (?:no|little|limited) (?:reliable |public |publicly available )?"
    r"(?:information|data) (?:on|about|regarding)"
    r"|no (?:reliable |specific )?information (?:is |was )?(?:available )?(?:on|about|regarding)"
    r"|(?:i )?do(?:n['’]t| not) know (?:of|about)"
    r"|\bno (?:search )?(?:results|listings?|mentions?|records?) (?:for|of|about)"
    r"|none of the (?:sources|results|reviews|lists|rankings|directories) (?:i found )?"
    r"(?:mentions?|includes?|lists?|names?|covers?))",
    re.I,
)
# An absence stated about the subject before it ("X does not appear in the list", "X isn't listed
# on Yelp", "X was not among the results"): it removes the brands named earlier in its clause.
ABSENT_SUBJECT = re.compile(
    r"\b(?:(?:does|do|did)(?:n['’]t| not)|never) (?:appear|show up|feature|rank)s? (?:in|on|among|anywhere)\b"
    r"|\b(?:is|are|was|were)(?:n['’]t| not) (?:(?:listed|included|mentioned|featured|ranked|found)"
    r"(?: (?:in|on|among|by|anywhere))?|among)\b",
    re.I,
)
# "I could not find X in/on/among ..." and "I couldn't find X." with the brand as the object.
NOT_FOUND = re.compile(
    r"\b(?:could(?:n['’]?t| not)|can(?:['’]?t|not)|was unable to|am unable to|unable to|did(?:n['’]?t| not))"
    r" (?:find|locate) (?:any (?:mention|listing|record)s? of )?",
    re.I,
)
SUBJECT_GAP = re.compile(r"^(?:\s|,|\b(?:and|or|nor|also|currently|still|even)\b|\([^()]{0,40}\))*$", re.I)
NOT_FOUND_AFTER = re.compile(r"\s*(?:[.,;]|$|\s(?:in|on|among|anywhere|listed)\b)")
# Where the object of an absence statement ends, and the words by which it refers back to a brand.
CLAUSE_END = re.compile(r"[,;:!?]|\.(?:\s|$)|\s(?:but|so|while|whereas|although)\s", re.I)
REFERS_BACK = re.compile(r"\s+(?:(?:about|on|regarding|of|with)\s+)?(?:it|its|it's|them|their|this|that)\b", re.I)

DOT_WORD = re.compile(r"\.\w")
DOMAIN = re.compile(r"[\w-]+(?:\.[a-z]{2,})+", re.I)

# Days and months: English capitalises them, so a capital says nothing about a brand named so.
CALENDAR = frozenset(
    """
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
""".split()  # noqa: SIM905 - a word list reads better as text
)
WORD_CONTEXT_BEFORE = re.compile(r"\b(on|every|next|last|this|each|by|until|since|per|a|an|the|our|your|their|my)\s+$")


# Characters that render as nothing (zero-width space/joiners, direction marks, soft hyphen, BOM):
# pasted or generated text carries them inside names, and a reader still sees the name.
INVISIBLE = "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]*"


@dataclass(frozen=True)
class Hit:
    brand: str
    start: int
    end: int


def alias_pattern(aliases: Sequence[str]) -> re.Pattern[str]:
    """One regex over all spellings, longest first, bounded so `Zoom` never matches `Zoominfo`."""
    return _alias_pattern(tuple(aliases))


# Every answer of an org is matched against the same brands: a group of cells builds each pattern once.
@lru_cache(maxsize=1024)
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({a.strip() for a in aliases if a.strip()}, key=len, reverse=True)
    body = "|".join(_spelling(w) for w in words)
    return re.compile(rf"(?<![\w@/.-])(?:{body})(?![\w-])", re.I)


def _spelling(alias: str) -> str:
    """An alias as people type it: a space, a hyphen or nothing between words; a straight, a curly
    or no apostrophe ("Joe's", "Joe’s", "Joes"); "&" or "and"; an accent or none ("Café", "Cafe");
    the full stop of an abbreviation or none ("Mr. Electric", "Mr Electric")."""
    alias = re.sub(r"\s+and\s+", " & ", alias, flags=re.I)
    parts = []
    for i, ch in enumerate(alias):
        if ch == " ":
            parts.append(r"[ \t\u00a0-]?")  # not a line break: a name does not run across lines
        elif ch in "'’":
            parts.append("['’]?")
        elif ch == "&":
            parts.append("(?:&|and)")
        elif ch == "." and (i == len(alias) - 1 or alias[i + 1] == " "):
            parts.append(r"\.?")
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            parts.append(f"[{re.escape(base)}{re.escape(ch)}]" if base != ch else re.escape(ch))
    return INVISIBLE.join(parts)


def find_hits(answer: str, brands: Sequence[Brand], units: Sequence[Unit]) -> list[Hit]:
    """Every counted occurrence of every brand, in text order, overlaps resolved to the longest name."""
    blocked = _Spans(url_spans(answer))
    candidates: list[Hit] = []
    for brand in brands:
        negatives = _Spans(
            [(m.start(), m.end()) for m in alias_pattern(brand.negative_terms).finditer(answer)]
            if brand.negative_terms
            else []
        )
        for m in alias_pattern(brand.aliases).finditer(answer):
            if blocked.overlaps(m.start(), m.end()) or negatives.overlaps(m.start(), m.end()):
                continue
            if DOT_WORD.match(answer, m.end()):
                # a domain written as text names the brand when it is the brand's own ("zoom.us" names
                # Zoom), however everyday its root word ("foliary.com")
                if not _own_domain(answer, m, brand):
                    continue
            elif _names_something_else(answer, m, brand) or _used_as_a_word(answer, m):
                continue
            candidates.append(Hit(brand.key, m.start(), m.end()))
    candidates.sort(key=lambda h: (h.start, -(h.end - h.start)))
    hits: list[Hit] = []
    for hit in candidates:
        if hits and hit.start < hits[-1].end:
            continue
        hits.append(hit)
    return _without_absent(answer, hits, units)


def _without_absent(answer: str, hits: list[Hit], units: Sequence[Unit]) -> list[Hit]:
    """Drop the hits an absence statement is about, and only those.

    The statement is about the brands named in its clause ("... about Northwind Bank's rates") or,
    when that clause refers back ("... about its API limits", "... about it"), the brand named last
    before it in the same unit. Other brands in the unit stay mentioned.
    """
    starts = [u.start for u in units]
    hit_starts = [h.start for h in hits]
    dropped: set[Hit] = set()
    for m in ABSENCE.finditer(answer):
        index = bisect.bisect_right(starts, m.start()) - 1
        unit_start, unit_end = (units[index].start, units[index].end) if index >= 0 else (0, len(answer))
        unit_end = max(unit_end, m.end())
        stop = CLAUSE_END.search(answer, m.end(), unit_end)
        clause_end = stop.start() if stop else unit_end
        first = bisect.bisect_left(hit_starts, unit_start)
        last = bisect.bisect_left(hit_starts, unit_end)
        inside = hits[first:last]
        about = {h.brand for h in inside if m.end() <= h.start < clause_end}
        if not about and REFERS_BACK.match(answer, m.end()):
            before = [h for h in inside if h.start < m.start()]
            about = {before[-1].brand} if before else set()
        dropped.update(h for h in inside if h.brand in about)
    for m in ABSENT_SUBJECT.finditer(answer):
        stops = [s.end() for s in CLAUSE_END.finditer(answer, max(0, m.start() - 300), m.start())]
        clause_start = stops[-1] if stops else max(0, m.start() - 300)
        first = bisect.bisect_left(hit_starts, clause_start)
        about = _subjects(answer, hits[first : bisect.bisect_left(hit_starts, m.start())], m.start())
        dropped.update(h for h in _unit_hits(units, starts, hits, hit_starts, m.start()) if h.brand in about)
    for m in NOT_FOUND.finditer(answer):
        index = bisect.bisect_left(hit_starts, m.end())
        if index < len(hits) and hits[index].start == m.end() and NOT_FOUND_AFTER.match(answer, hits[index].end):
            brand = hits[index].brand
            dropped.update(h for h in _unit_hits(units, starts, hits, hit_starts, m.start()) if h.brand == brand)
    return [h for h in hits if h not in dropped]


def _unit_hits(
    units: Sequence[Unit], starts: Sequence[int], hits: Sequence[Hit], hit_starts: Sequence[int], offset: int
) -> Sequence[Hit]:
    """The hits in the unit (sentence, item, row) that holds `offset`."""
    index = bisect.bisect_right(starts, offset) - 1
    start, end = (units[index].start, units[index].end) if index >= 0 else (0, offset + 1)
    return hits[bisect.bisect_left(hit_starts, start) : bisect.bisect_left(hit_starts, max(end, offset + 1))]


def _subjects(answer: str, before: Sequence[Hit], verb: int) -> set[str]:
    """The brands that are the subject of the verb at `verb`: named right before it, alone or joined
    by "and"/"or" ("X and Y are not listed"), not "X's pricing is not listed"."""
    about: set[str] = set()
    reach = verb
    for hit in reversed(before):
        if not SUBJECT_GAP.match(answer[hit.end : reach]):
            break
        about.add(hit.brand)
        reach = hit.start
    return about


class _Spans:
    """Sorted, merged character spans, asked whether a match overlaps any of them."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self.starts = [a for a, _ in merged]
        self.spans = merged

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end) - 1
        return index >= 0 and self.spans[index][1] > start


def _own_domain(answer: str, match: re.Match[str], brand: Brand) -> bool:
    """A name followed by ".com" and the like is a domain written as text (link text or prose,
    not a URL with a scheme): it names the brand when it is one of the brand's own domains."""
    domain = DOMAIN.match(answer, match.start())
    return domain is not None and registrable_domain(domain.group(0).lower()) in brand.domains


def _used_as_a_word(answer: str, match: re.Match[str]) -> bool:
    """A brand whose name is everyday words ("Zoom", "Monday", "Bright Spark") counts only when it is
    written as a name: capitalised, but not as a day or month English capitalises anyway ("every
    Monday", "on Monday") nor as the verb in "Zoom in"."""
    found = match.group(0)
    if not is_everyday_phrase(found):
        return False
    if not found[0].isupper():
        return True
    if " " in found or "-" in found:
        return False
    before = answer[max(0, match.start() - 8) : match.start()].lower()
    after = answer[match.end() : match.end() + 5].lower()
    dated = found.lower() in CALENDAR and bool(WORD_CONTEXT_BEFORE.search(before))
    return dated or after.startswith((" in ", " out ", " into "))


def _names_something_else(answer: str, match: re.Match[str], brand: Brand) -> bool:
    """A short form of the name ("Northwind" for "Northwind Bank") followed by a capitalised industry
    word that is not the brand's ("Northwind Capital Partners", "Meadowbrook Hospital") names another
    business; followed by a geographic feature ("the Fernhill trail") it names a place. The brand's
    own products ("Brightpath Pro", "the Brightpath app") and title case ("Why Brightpath Stands
    Out") still count."""
    found = match.group(0).lower()
    full = LEGAL_SUFFIX.sub("", brand.name).strip().lower()
    if not full.startswith(found + " "):
        return False  # the whole name, or the name less its legal suffix: "Acme Cloud" is Acme Inc.'s
    after = answer[match.end() : match.end() + 40]
    following = re.match(r" ([A-Za-z][\w&'-]*)", after)
    if following is None:
        return False
    word = POSSESSIVE.sub("", following.group(1))  # "Meadowbrook Hospital's" is the hospital's
    other = is_place_noun(word) or (word[0].isupper() and is_descriptor(word) and not _product_name(after))
    longer = f"{found} {word.lower()}"
    return other and not any(a.lower().startswith(longer) for a in brand.aliases)


POSSESSIVE = re.compile(r"['’]s?$")
# The capitalised words that follow a short form, up to the first word that is not capitalised.
TITLE_RUN = re.compile(r"(?: [A-Z][\w&'-]*)+")


def _product_name(after: str) -> bool:
    """A business is named by its words plus industry descriptors ("Northwind Capital Partners"); a
    capitalised word after the descriptor that is not one ("Northwind Cloud Suite", "Acme Firm
    Pillow") makes the whole a product's name, and a product's name names its brand."""
    run = TITLE_RUN.match(after)
    words = run.group(0).split() if run else []
    for i, word in enumerate(words):
        if i and not is_descriptor(POSSESSIVE.sub("", word)) and not is_place_noun(word):
            return True
        if POSSESSIVE.search(word):
            return False  # a possessive ends the name: "Meadowbrook Hospital's ER"
    return False
