"""Mentions of the org and its competitors in one answer, plus brands discovered in it."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.extraction import picks, review_words, sentiment
from ai_visibility.extraction.brand_columns import column_passages
from ai_visibility.extraction.brand_matching import Hit, find_hits
from ai_visibility.extraction.brands import Brand, OrgView
from ai_visibility.extraction.discovery import LEAD_MARKUP, discover_options
from ai_visibility.extraction.limits import readable, truncated_from
from ai_visibility.extraction.passages import Layout, Passage, outermost, union_chars
from ai_visibility.extraction.text_units import plain, split_units
from ai_visibility.extraction.urls import url_spans
from ai_visibility.extraction.verdicts import verdicts

SEPARATOR = " || "
# Where a sentence's clauses part: a turn, a contrast, a clause added by "and", or a consequence drawn
# by "so" ("X has the lowest fees, but its app keeps crashing, so I'd choose Y": the app is X's).
CLAUSE_BREAK = re.compile(r";|,?\s+(?:but|while|whereas|although|however)\s+|,\s+(?:and|unlike|so)\s+", re.I)
# The other brand's name (masked out as blanks) and "instead" closing its pick: "I'd book Y instead",
# "I'd buy from Y for now instead".
OTHER_INSTEAD = re.compile(r"\s+(?:[^\s.,;:!?]+\s+){0,3}?(?P<instead>instead)\b(?!\s+of\b)", re.I)
# How a pick sets aside the brand named after it: "I'd choose Y over X", "Y instead of X".
SET_ASIDE = re.compile(r"\b(?:over|instead of|rather than|ahead of)\b", re.I)
# A sentence opening with another option set apart ("Unlike Y, which gets cluttered, X keeps boards
# tidy"): each comma ends a clause of the contrast.
OPENS_UNLIKE = re.compile(r"^\W*(?:unlike|compared (?:with|to))\b", re.I)
COMMA_OR_CLAUSE_BREAK = re.compile(CLAUSE_BREAK.pattern + r"|,\s", re.I)
LINE_OR_CLAUSE_BREAK = re.compile(CLAUSE_BREAK.pattern + r"|\n|[.!?]\s|\s[–—-]\s|\|", re.I)
# Words by which an answer introduces its options as the best or recommended ones.
BEST_OPTIONS = re.compile(
    r"\b(?:best|top|top-rated|highest-rated|highly[- ]rated|well-(?:reviewed|rated|regarded)|recommended|favou?rites?"
    r"|leading|popular|trusted|reputable|reliable|great|excellent|good|standout"
    # general words of quality, in any degree ("strong choices", "the strongest providers")
    r"|strong|stronger|strongest|solid|outstanding|superb|terrific|fantastic|wonderful|impressive|trustworthy"
    # what customers endorse ("Cafés locals love", "Beloved bakeries"), not the reader's need ("for
    # couples who love hiking")
    r"|(?<!\bwho )(?<!\bthat )(?<!\byou )(?:love|loved)|beloved)\b",
    re.I,
)
# A review word of clear praise grades a set as well ("Dependable hosts", "Knowledgeable tutors"),
# but not a price or a convenience, which names a criterion ("Affordable movers", as "Plans under
# $10 a month" does: docs/definitions.md, Lead-ins).
CRITERIA = frozenset({"affordable", "inexpensive", "convenient"})
GRADING_REVIEW_WORDS = frozenset(w for w, v in review_words.WORDS.items() if v >= 1.5) - CRITERIA
# A lead-in that ends by naming what follows as things to avoid ("Lenders to avoid:"); "to avoid"
# elsewhere states a purpose ("to avoid fees, pick...").
TO_AVOID = re.compile(
    r"\b\w+s\b[^.:;]{0,40}? (?:to (?:avoid|skip|steer clear of|stay away from|be wary of)"
    r"|not to (?:trust|use|buy|hire|book|choose|pick|rely on))"
    r"(?:\s+(?:for|if|when|in|with|this|these|right|now)\b[^.,;:]*)?"
    # and how the answer knows, after a comma: "..., going by the past year's reviews:"
    r"(?:,[^.;:]*)?\s*:?\s*$",
    re.I,
)
COMPARED = re.compile(r"\b(vs\.?|versus|compared (?:to|with)|than|whereas|while|unlike)\b", re.I)


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


@dataclass(frozen=True)
class BrandPassages:
    """The passages extraction read for one brand: what its share of voice is made of."""

    brand: str
    brand_name: str
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class MentionExtraction:
    results: list[MentionResult]
    passages: list[BrandPassages]
    truncated_from: int | None  # the answer's length when it was cut to MAX_ANSWER_CHARS


def extract_mentions(answer: str, org: OrgView) -> list[MentionResult]:
    """One result per tracked brand (mentioned or not) and per discovered brand, with ranks."""
    return read_mentions(answer, org).results


def read_mentions(answer: str, org: OrgView) -> MentionExtraction:
    """The mentions with the passages behind them, and whether the answer had to be cut."""
    cut = truncated_from(answer)
    answer = readable(answer)
    units = split_units(answer)
    layout = Layout(answer, units)
    tracked = (org.target, *org.competitors)
    hits = find_hits(answer, tracked, units)
    discovered = discover_options(answer, units, layout, hits)
    hits = sorted([*hits, *find_hits(answer, discovered, units)], key=lambda h: h.start)
    masked = _masked(answer, hits)
    hit_starts = [h.start for h in hits]
    by_brand: dict[str, list[Hit]] = {}
    for hit in hits:
        by_brand.setdefault(hit.brand, []).append(hit)
    columns = column_passages(answer, layout, hits)
    placed = {
        key: [p for h in mine for p in columns.get(h.start, [layout.passage_at(h.start)])]
        for key, mine in by_brand.items()
    }
    # Rank is text order: where each brand is first named (docs/definitions.md, Rank).
    firsts = {key: by_brand[key][0].start for key in placed}
    order = sorted(firsts.values())
    results: list[MentionResult] = []
    read: list[BrandPassages] = []
    for brand in (*tracked, *discovered):
        mine = by_brand.get(brand.key, [])
        if not mine:
            results.append(absent(brand))
            continue
        passages = [
            piece for p in outermost(placed[brand.key]) for piece in _own_sections(answer, layout, p, brand.key, hits)
        ]
        framings = {_framing(masked, layout.lead_in(p)) for p in passages if _leads(answer, p, mine)}
        framing: sentiment.Framing = "warned" if "warned" in framings else "best" if "best" in framings else None
        own = [_own_part(masked, p, brand.key, hits, hit_starts, _leads(answer, p, mine)) for p in passages]
        said = _adjacent_joined(answer, passages, [text for text, _ in own])
        said += [v for p in passages if _leads(answer, p, mine) for v in _verdicts(answer, layout, p)]
        value, sentiment_label = sentiment.judge(said, framing, passed_over=any(over for _, over in own))
        texts = [answer[p.start : p.end] for p in passages]
        rank = 1 + bisect.bisect_left(order, firsts[brand.key])
        results.append(
            MentionResult(
                brand=brand.key,
                brand_name=brand.name,
                brand_kind=brand.kind,
                occurrences=len(mine),
                first_offset=mine[0].start,
                rank=rank,
                mention_text=SEPARATOR.join(texts),
                mention_chars=union_chars(passages),
                sentiment_score=value,
                sentiment_label=sentiment_label,
                role=role_of(texts, passages, framing, sentiment_label),
            )
        )
        read.append(BrandPassages(brand.key, brand.name, tuple(passages)))
    return MentionExtraction([r for r in results if r.brand_kind != "discovered" or r.mentioned], read, cut)


def _adjacent_joined(answer: str, passages: Sequence[Passage], said: list[str]) -> list[str]:
    """The brand's sentences that follow one another in the answer, read as one passage: a "However"
    opening the second turns the first ("X has the cheapest plan. However, its tunnel tore off
    mirrors"), and not a sentence of the brand's further away."""
    joined: list[str] = []
    for i, text in enumerate(said):
        adjacent = i and not answer[passages[i - 1].end : passages[i].start].strip()
        if adjacent and passages[i].kind == passages[i - 1].kind == "sentence":
            joined[-1] = f"{joined[-1]} {text}"
            continue
        joined.append(text)
    return joined


def absent(brand: Brand) -> MentionResult:
    return MentionResult(brand.key, brand.name, brand.kind, 0, None, None, "", 0, None, None, "absent")


def role_of(
    texts: Sequence[str], passages: Sequence[Passage], framing: sentiment.Framing = None, label: str | None = None
) -> str:
    """How the answer treats a brand, agreeing with its sentiment (docs/definitions.md, Role): a
    negative brand is warned against; a positive one is recommended, unless it is praised only by
    comparison with other brands without being picked (compared); a neutral one is compared when
    its passages weigh it against other brands, listed otherwise (plain facts, a list of names)."""
    text = " ".join(texts)
    picked = framing == "best" or picks.RECOMMENDED.search(text) is not None
    if label == "negative" or framing == "warned" or picks.WARNED.search(text):
        return "warned_against"
    if label == "positive":
        return "compared" if COMPARED.search(text) and not picked else "recommended"
    return "compared" if COMPARED.search(text) else "listed"


def _framing(masked: str, lead_in: tuple[int, int] | None) -> sentiment.Framing:
    """How the line introducing a list, cards or headings presents them: as the best or recommended
    options ("Here are the top-rated dentists in Austin:"), as ones to avoid ("Lenders to steer
    clear of:"), or neither."""
    if lead_in is None:
        return None
    text = plain(masked[lead_in[0] : lead_in[1]])
    # "recommended" negated ("Lenders we would not recommend") grades nothing as the best
    graded = picks.WARNED.sub(" ", text)
    best = bool(
        BEST_OPTIONS.search(graded)
        or picks.RECOMMENDED.search(graded)
        or any(w.lower() in GRADING_REVIEW_WORDS for w in sentiment.WORD.findall(graded))
    )
    if (picks.WARNED.search(text) or TO_AVOID.search(text)) and not best:
        return "warned"
    return "best" if best and sentiment.score(text) >= 0 else None


def _verdicts(answer: str, layout: Layout, passage: Passage) -> list[str]:
    """What a table row's verdict and "Best for" cells say about the brand the row is for."""
    header = layout.table_header(passage) if passage.kind == "table_row" else None
    if header is None:
        return []
    return verdicts(answer[header[0] : header[1]], answer[passage.start : passage.end])


def _own_sections(answer: str, layout: Layout, passage: Passage, brand: str, hits: Sequence[Hit]) -> list[Passage]:
    """A heading section without the sub-sections about other brands: under "## Northwind Bank and
    its rivals", a "### Chase" subsection is Chase's, not Northwind Bank's."""
    if passage.kind != "section":
        return [passage]
    pieces, cursor = [], passage.start
    for start, end, section_end in layout.subsections(passage):
        first = bisect.bisect_left(hits, start, key=lambda h: h.start)
        named = {h.brand for h in hits[first : bisect.bisect_left(hits, end, key=lambda h: h.start)]}
        if start < cursor or not named or brand in named:
            continue
        pieces.append(Passage(cursor, cursor + len(answer[cursor:start].rstrip()), "section"))
        cursor = section_end
    rest = answer[cursor : passage.end]
    pieces.append(Passage(passage.end - len(rest.lstrip()), passage.end, "section"))
    return [p for p in pieces if p.end > p.start]


def _leads(answer: str, passage: Passage, hits: Sequence[Hit]) -> bool:
    """Whether the brand is the option `passage` is about, as a lead-in grades it: its card, its
    heading's section, or a list item or table row its name opens (only markup before the name). A
    brand named inside another option's text ("stocks Patagonia") is not that option."""
    if passage.kind in ("block", "section"):
        return True
    first = bisect.bisect_left(hits, passage.start, key=lambda h: h.start)
    return (
        first < len(hits)
        and hits[first].start < passage.end
        and bool(LEAD_MARKUP.match(answer[passage.start : hits[first].start]))
    )


def _own_part(
    masked: str, passage: Passage, brand: str, hits: Sequence[Hit], hit_starts: Sequence[int], leads: bool
) -> tuple[str, bool]:
    """The text a brand's sentiment is read from: its passage, but in a sentence that names several
    brands, or in another option's item or row that names it in passing, only the clauses naming
    this one ("Ally pays 3.5%, and Northwind is close behind"; "- **Attio** – imports from X"); and
    whether what is kept picks another brand over this one ("I'd choose Y over X")."""
    text = masked[passage.start : passage.end]
    if passage.kind == "table_cell":
        return f"| {text} |", False  # read as a cell: three words or fewer are a fact
    inside = hits[bisect.bisect_left(hit_starts, passage.start) : bisect.bisect_left(hit_starts, passage.end)]
    if all(h.brand == brand for h in inside):
        return text, False
    # a pick of another brand is that brand's, in the brand's own section as in a shared sentence
    text, over = _without_others_picks(text, [(h.start - passage.start, h.brand) for h in inside], brand)
    if passage.kind != "sentence" and leads:
        return text, bool(over)
    own = [h.start - passage.start for h in inside if h.brand == brand]
    breaks = CLAUSE_BREAK if passage.kind == "sentence" else LINE_OR_CLAUSE_BREAK
    if passage.kind == "sentence" and OPENS_UNLIKE.match(text):
        breaks = COMMA_OR_CLAUSE_BREAK
    cuts = [0, *(m.start() for m in breaks.finditer(text)), len(text)]
    offsets = [h.start - passage.start for h in inside]
    # In a sentence, a clause naming no brand goes on about the sentence's subject, the brand named
    # first: "X costs more than Y, but the fitting is worth it" judges X.
    subject = passage.kind == "sentence" and inside[0].brand == brand
    kept = [
        (a, b)
        for a, b in itertools.pairwise(cuts)
        if any(a <= o < b for o in own) or (subject and a > 0 and not any(a <= o < b for o in offsets))
    ]
    if not kept:
        return text, bool(over)
    return " ".join(text[a:b] for a, b in kept), any(a <= o < b for o in over for a, b in kept)


PICK_CLAUSE_END = re.compile(r"[,:;.!?]\s")
# A brand's name (masked out as blanks), then the pick of which it is the subject: "X is my pick",
# "X remains our top choice", "X is the one to call".
SUBJECT_PICKED = re.compile(r"\s{3,}(?:(?:is|was|remains|stays)\s+(?:[\w-]+\s+){0,2})?$")


def _without_others_picks(text: str, named: Sequence[tuple[int, str]], brand: str) -> tuple[str, list[int]]:
    """`text` without the recommendations whose object is another brand: in "Between Mr. Electric
    and BrightSpark, I'd go with BrightSpark" the pick is BrightSpark's, not Mr. Electric's; and where
    a pick of another is set against this brand, a conclusion against it: "I'd choose Y over X", "a
    lender that guarantees its date is the safer choice over X", "Until X fixes the lift, I'd book Y
    instead" (the offsets of the words that set it aside)."""
    over: list[int] = []
    for m in picks.RECOMMENDED.finditer(text):
        after = [(offset, b) for offset, b in named if offset >= m.end()]
        before = [b for offset, b in named if offset < m.start()]
        if before and SUBJECT_PICKED.search(text[: m.start()]):
            # the brand just named is the pick's subject ("X is my pick over Y", "X is the one to call")
            if before[-1] != brand:
                text = _blanked(text, m.start(), m.end())
            continue
        # a pick set against this brand ("a lender that guarantees its date is the safer choice over X",
        # "I'd choose it over X")
        if after and after[0][1] == brand and not PICK_CLAUSE_END.search(text, m.end(), after[0][0]):
            aside = SET_ASIDE.search(text, m.end(), after[0][0])
            if aside is not None and not text[aside.end() : after[0][0]].strip():
                text = _blanked(text, m.start(), m.end())
                over.append(aside.start())
                continue
        # the pick's object is named in its own clause ("homeowners recommend most: it beats the two
        # years Y offers" picks no Y; "X is my pick, with Y a close second" picks X)
        if after and after[0][1] != brand and not PICK_CLAUSE_END.search(text, m.end(), after[0][0]):
            text = _blanked(text, m.start(), m.end())
            mine = next((offset for offset, b in after if b == brand), None)
            instead = OTHER_INSTEAD.match(text, after[0][0])
            if instead is not None and mine is None:
                # "I'd book Y instead" after this brand: instead of it
                over.append(instead.start("instead"))
            elif mine is not None:
                # the pick of another set against this brand: "I'd choose Y over X", "Y rather than X"
                aside = SET_ASIDE.search(text, after[0][0], mine)
                if aside is not None and not text[aside.end() : mine].strip():
                    over.append(aside.start())
    return text, over


def _blanked(text: str, start: int, end: int) -> str:
    """`text` with its characters from `start` to `end` blanked out (same length, so offsets hold)."""
    return text[:start] + " " * (end - start) + text[end:]


def _masked(answer: str, hits: Sequence[Hit]) -> str:
    """The answer with every brand name and link target blanked out (same length, same offsets), so
    that neither "Trust Bank" nor a URL's words are read as sentiment."""
    chars = list(answer)
    for start, end in [*((h.start, h.end) for h in hits), *url_spans(answer)]:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
