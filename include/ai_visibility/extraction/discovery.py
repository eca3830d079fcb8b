"""Untracked brands an answer presents as options: they count in the tracked brands' rank.

An option is a name that leads a list item (bold or linked), a table row's first cell, a card (a
bold or linked name line with lines under it) or a heading in a run of headings, one per option
(numbered, or beside a heading that names a tracked brand). A company named in passing is not one.

A name is written in title case ("Volt Brothers Electric"); a name made only of everyday words
("Customer Support", "Next Adventure") is a label as often as a brand, so it counts only beside a
tracked brand in the same list, the same run of cards or the same table.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from ai_visibility.extraction.brand_matching import ABSENCE, Hit
from ai_visibility.extraction.brands import Brand
from ai_visibility.extraction.passages import Layout
from ai_visibility.extraction.text_units import Unit, plain, table_header_lines
from ai_visibility.extraction.words import is_everyday_phrase

LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
# A bold or linked name at the start of a text: **Name**, __Name__, [Name](url), **[Name](url)**.
LEAD_NAME = re.compile(
    r"^(?:\*\*|__)?\[(?P<link>[^\]\n]{2,60})\]\([^)\s]+\)|^\*\*(?P<bold>[^*\n]{2,60})\*\*|^__(?P<under>[^_\n]{2,60})__"
)
MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]*\)")
FIRST_CELL = re.compile(r"^\s*\|\s*(?P<name>[^|]{2,60}?)\s*\|")
HEADING_MARKS = re.compile(r"^\s*#{1,6}\s+(?P<numbered>(?:#?\d{1,2}[.):]?\s+))?")
# Where a heading's name ends: a dash, a colon or a parenthesis ("## 2. Acme — best for teams").
NAME_END = re.compile(r"\s+[–—-]\s|:|\s\(|\s\|")
NOT_A_BRAND = re.compile(
    r"^(best|pricing|price|key|features?|pros|cons|overview|summary|bottom line|verdict|note|tip|tips|why|"
    r"what|how|when|where|which|who|option|options|tool|platform|category|feature|free|paid|plan|cost|rating|"
    r"score|ease|support|integrations?|a |an |step|other|our|my|your|top|conclusion|recommendation|"
    r"final|quick|comparison|compare|alternatives?|faq|frequently|things|important|considerations?|"
    r"takeaways?|next steps|methodology|sources|references|honorable|honourable|also|more|budget|runner)\b",
    re.I,
)
MAX_WORDS = 5
# "The Ritz-Carlton", "The Container Store": a leading "The" is part of many names; what follows it
# must pass as a name on its own ("The Bottom Line" does not).
LEADING_THE = re.compile(r"^the\s+", re.I)
LEAD_MARKUP = re.compile(r"^[\W_]*(?:#?\d{1,3}[.):]?\s+)?[\W_]*(?:the\s+)?$", re.I)
SMALL_WORDS = frozenset({"of", "and", "&", "the", "for", "at", "on", "in", "de", "by", "y"})


def discover_options(answer: str, units: Sequence[Unit], layout: Layout, known: Sequence[Hit]) -> tuple[Brand, ...]:
    """Untracked brands the answer presents as options, in the order first met."""
    known_starts = [h.start for h in known]
    beside_tracked = {_group(layout, h.start) for h in known if _leads(answer, layout, h.start)}
    names: dict[str, str] = {}
    for start, raw, line_text in _candidates(answer, units, layout, known_starts):
        name = re.sub(r"\s*\(.*\)$", "", plain(MARKDOWN_LINK.sub(r"\1", raw)).strip(" :–—-*_"))
        name = re.sub(r"^[^\w]+", "", name)  # a medal or a bullet emoji before the name
        if (
            not name
            or not _title_case(name)
            or len(name.split()) > MAX_WORDS
            or (is_everyday_phrase(name) and _group(layout, start) not in beside_tracked)
            or "?" in name
            or NOT_A_BRAND.match(LEADING_THE.sub("", name))
            or (
                LEADING_THE.match(name)
                and is_everyday_phrase(LEADING_THE.sub("", name))
                and _group(layout, start) not in beside_tracked
            )
            or ABSENCE.search(line_text)
            or _any_between(known_starts, start, start + len(raw) + 4)
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


def _title_case(name: str) -> bool:
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in SMALL_WORDS for w in name.split())


def _leads(answer: str, layout: Layout, offset: int) -> bool:
    """Whether a name at `offset` leads its line: only markup before it (a list marker, a number, a
    table's pipe, a heading's hashes, bold, a link's bracket, an emoji) and perhaps "The" ("**The
    Pinecrest Riverside**"), as an option's name does."""
    line = layout.lines[bisect.bisect_right(layout.line_starts, offset) - 1]
    return LEAD_MARKUP.match(answer[line.start : offset]) is not None


def _group(layout: Layout, offset: int) -> tuple[str, int] | None:
    """The list, run of cards or headings, or table a name at `offset` leads in: its kind and where
    it starts (the line introducing it, or a table's first row); None outside such a run."""
    passage = layout.passage_at(offset)
    if passage.kind == "table_row":
        index = bisect.bisect_right(layout.line_starts, offset) - 1
        while index > 0 and layout.lines[index - 1].kind == "table_row":
            index -= 1
        return "table_row", index
    if passage.kind in ("list_item", "block", "section"):
        lead_in = layout.lead_in(passage)
        return passage.kind, lead_in[0] if lead_in else -1
    return None


def _candidates(
    answer: str, units: Sequence[Unit], layout: Layout, known_starts: Sequence[int]
) -> Iterator[tuple[int, str, str]]:
    """(offset, name as written, its line) for each place an option's name may lead."""
    headers = table_header_lines(answer)
    for unit in units:
        if unit.kind == "list_item":
            body = LIST_MARKER.sub("", unit.text, count=1)
            found = LEAD_NAME.match(body)
            if found:
                group = found.lastgroup or "bold"
                yield unit.start + (len(unit.text) - len(body)) + found.start(group), found.group(group), unit.text
        elif unit.kind == "table_row" and unit.line not in headers:
            cell = FIRST_CELL.match(unit.text)
            if cell:
                yield unit.start + cell.start("name"), cell.group("name"), unit.text
    for index, end in layout.blocks.items():
        line = layout.lines[index]
        text = answer[line.start + line.indent : line.end]
        found = LEAD_NAME.match(text)
        if end > index and found:
            group = found.lastgroup or "bold"
            yield line.start + line.indent + found.start(group), found.group(group), text
    yield from _heading_options(answer, layout, known_starts)


def _heading_options(answer: str, layout: Layout, known_starts: Sequence[int]) -> Iterator[tuple[int, str, str]]:
    """Headings of a run with one heading per option: numbered ("## 2. Acme"), or of a level at which
    another heading names a tracked brand."""
    headings = [(i, line) for i, line in enumerate(layout.lines) if line.kind == "heading"]
    brand_levels = {line.level for _, line in headings if _any_between(known_starts, line.start, line.end)}
    for _, line in headings:
        text = answer[line.start : line.end]
        marks = HEADING_MARKS.match(text)
        if marks is None or not (marks.group("numbered") or line.level in brand_levels):
            continue
        rest = text[marks.end() :]
        cut = NAME_END.search(rest)
        name = rest[: cut.start()] if cut else rest
        linked = LEAD_NAME.match(name.strip())
        if linked:
            group = linked.lastgroup or "bold"
            name = linked.group(group)
        if name.strip():
            yield line.start + text.index(name), name, text


def _any_between(sorted_offsets: Sequence[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(sorted_offsets, start)
    return index < len(sorted_offsets) and sorted_offsets[index] < end
