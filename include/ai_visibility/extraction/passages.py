"""The passage devoted to a brand where it is named: the unit share of voice, rank, sentiment and
role are measured on.

Where a name sits decides its passage:
- in a heading: the heading and its section, up to the next heading of the same or a higher level
  (unless the heading names the brand only as a point of reference, "Alternatives to X" or "Tools
  like X": that section is not devoted to it, and the heading line alone is its passage);
- on a list item's first line: the item with its nested sub-items and continuation lines;
- on a line that is only a bold or linked name (a local-business or product card): that line and
  the lines under it, up to the next blank line or the next such name line;
- in a table row: the row;
- anywhere else: the sentence.

The answer's layout is read once (one pass over its lines), so finding the passage of each name
costs a binary search, and extraction stays linear in the answer's length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ai_visibility.extraction.text_units import HEADING, LIST_ITEM, TABLE_ROW, TABLE_RULE, Unit

PassageKind = Literal["section", "heading", "list_item", "block", "table_row", "table_cell", "sentence"]
# Words before a name in a heading that make the name a point of reference, not the subject.
REFERENCE_TO = re.compile(
    r"\b(?:alternatives?|competitors?|rivals?|replacements?|instead)\s+(?:to|of|for)\s*$"
    r"|\b(?:other than|besides|beyond|compared (?:to|with)|than|like|similar to)\s*$"
    r"|\b(?:switching|migrating|moving) from\s*$",
    re.I,
)
# A card's first line: only a bold or linked name, perhaps with a colon, a rating, a short
# parenthesis ("**Acme Dental** (Pearl District)", "**Acme** – 4.8★ (312 reviews)") or a short tag
# after a separator, such as a category or a status ("**Acme Dental** · Dentist · Open now"), but no
# sentence.
NAME_LINE = re.compile(
    r"^\s*(?:\*\*|__)?(?:\[[^\]\n]{2,80}\]\([^)\s]+\)|[^*_\[\n]{2,80}?)(?:\*\*|__)?"
    # tags may hold a rating ("· iOS, Android · 4.8★"): a point between digits ends no sentence
    r"(?:[\s\d.,/:\-–—·|★☆⭐]|\([^()\n]{1,40}\))*(?:[·|–—]\s*(?:[^.!?\n]|(?<=\d)\.(?=\d)){1,50})?$"
)
EMPHASIS_OR_LINK = re.compile(r"^\s*(?:\*\*|__|\[)")


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    kind: PassageKind


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # without the line break
    indent: int
    kind: Literal["blank", "heading", "list_item", "table_row", "name", "text"]
    level: int  # heading level; 0 for other lines


class Layout:
    """Where each passage of one answer starts and ends."""

    def __init__(self, answer: str, sentences: Sequence[Unit]) -> None:
        self.answer = answer
        self.lines = _lines(answer)
        self.line_starts = [line.start for line in self.lines]
        self.sections = _section_ends(self.lines)
        self.items = _item_ends(self.lines)
        self.blocks = _block_ends(self.lines)
        self.item_leads = _last_outside(self.lines, _covered(len(self.lines), self.items))
        self.block_leads = _last_outside(self.lines, _covered(len(self.lines), self.blocks))
        self.table_leads = _last_outside(self.lines, [line.kind == "table_row" for line in self.lines])
        self.table_starts = _run_starts(self.lines, "table_row")
        self.headings = [i for i, line in enumerate(self.lines) if line.kind == "heading"]
        self.section_leads = _section_leads(self.lines)
        self.sentences = [u for u in sentences if u.kind == "sentence"]
        self.sentence_starts = [u.start for u in self.sentences]

    def passage_at(self, offset: int) -> Passage:
        """The passage a name written at `offset` belongs to."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        line = self.lines[index]
        if line.kind == "heading":
            if REFERENCE_TO.search(self.answer[line.start : offset]):
                return Passage(line.start + line.indent, line.end, "heading")
            return Passage(line.start + line.indent, self.lines[self.sections[index]].end, "section")
        if line.kind == "list_item":
            return Passage(line.start + line.indent, self.lines[self.items[index]].end, "list_item")
        if line.kind == "name":
            return Passage(line.start + line.indent, self.lines[self.blocks[index]].end, "block")
        if line.kind == "table_row":
            return Passage(line.start + line.indent, line.end, "table_row")
        found = bisect.bisect_right(self.sentence_starts, offset) - 1
        if found >= 0 and self.sentences[found].start <= offset < self.sentences[found].end:
            sentence = self.sentences[found]
            return Passage(sentence.start, sentence.end, "sentence")
        return Passage(line.start + line.indent, line.end, "sentence")

    def lead_in(self, passage: Passage) -> tuple[int, int] | None:
        """The line that introduces the list, the cards, the table or the run of headings `passage`
        is one of ("Here are the top-rated electricians:"), as a span; None for other passages."""
        index = bisect.bisect_right(self.line_starts, passage.start) - 1
        if passage.kind == "section":
            return self._span(self.section_leads.get(index, -1))
        if passage.kind == "list_item":
            return self._span(self.item_leads[index - 1] if index else -1)
        if passage.kind == "block":
            return self._span(self.block_leads[index - 1] if index else -1)
        if passage.kind == "table_row":
            return self._span(self.table_leads[index])
        return None

    def subsections(self, passage: Passage) -> list[tuple[int, int, int]]:
        """The sub-headings inside a section passage, each as (heading start, heading end, end of
        its own section), in order."""
        index = bisect.bisect_right(self.line_starts, passage.start) - 1
        found = []
        for i in self.headings[bisect.bisect_right(self.headings, index) :]:
            line = self.lines[i]
            if line.start >= passage.end:
                break
            found.append((line.start + line.indent, line.end, self.lines[self.sections[i]].end))
        return found

    def table_header(self, passage: Passage) -> tuple[int, int] | None:
        """The header row of the table a table-row passage is in (the row above its `|---|` rule),
        as a span; None when the table has no header or the passage is the header."""
        index = bisect.bisect_right(self.line_starts, passage.start) - 1
        first = self.table_starts[index]
        rule = first + 1
        if passage.kind != "table_row" or index <= rule or rule >= len(self.lines):
            return None
        if not TABLE_RULE.match(self.answer[self.lines[rule].start : self.lines[rule].end]):
            return None
        line = self.lines[first]
        return line.start + line.indent, line.end

    def _span(self, index: int) -> tuple[int, int] | None:
        if index < 0 or self.lines[index].kind not in ("text", "heading"):
            return None
        line = self.lines[index]
        return line.start + line.indent, line.end


def union_chars(passages: Iterable[Passage]) -> int:
    """Characters covered by the passages, overlaps counted once."""
    total, reach = 0, -1
    for p in sorted(passages, key=lambda p: p.start):
        if p.end > reach:
            total += p.end - max(p.start, reach)
            reach = p.end
    return total


def outermost(passages: Iterable[Passage]) -> list[Passage]:
    """The passages in text order, without any that lies inside another (a list item in a section)."""
    kept: list[Passage] = []
    for p in sorted(set(passages), key=lambda p: (p.start, -p.end)):
        if kept and p.end <= kept[-1].end:
            continue
        kept.append(p)
    return kept


def _lines(answer: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in answer.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        start, offset = offset, offset + len(raw)
        stripped = body.rstrip()
        indent = len(body) - len(body.lstrip())
        if not stripped.strip() or TABLE_RULE.match(body):
            kind: Literal["blank", "heading", "list_item", "table_row", "name", "text"] = (
                "blank" if not stripped.strip() else "table_row"
            )
        elif HEADING.match(body):
            kind = "heading"
        elif TABLE_ROW.match(body):
            kind = "table_row"
        elif LIST_ITEM.match(body):
            kind = "list_item"
        elif EMPHASIS_OR_LINK.match(body) and NAME_LINE.match(body):
            kind = "name"
        else:
            kind = "text"
        level = len(body.lstrip()) - len(body.lstrip().lstrip("#")) if kind == "heading" else 0
        lines.append(_Line(start, start + len(stripped), indent, kind, level))
    if not lines:
        lines.append(_Line(0, 0, 0, "blank", 0))
    return lines


def _run_starts(lines: Sequence[_Line], kind: str) -> list[int]:
    """For each line, the first line of the run of `kind` lines it is in (itself outside one)."""
    starts: list[int] = []
    for i, line in enumerate(lines):
        starts.append(starts[i - 1] if i and line.kind == kind and lines[i - 1].kind == kind else i)
    return starts


def _last_filled(lines: Sequence[_Line], first: int, stop: int) -> int:
    """The last non-blank line in [first, stop), or `first` itself."""
    last = stop - 1
    while last > first and lines[last].kind == "blank":
        last -= 1
    return last


def _section_ends(lines: Sequence[_Line]) -> dict[int, int]:
    """For each heading, the last line of its section."""
    ends: dict[int, int] = {}
    open_headings: list[int] = []
    for i, line in enumerate(lines):
        if line.kind != "heading":
            continue
        while open_headings and lines[open_headings[-1]].level >= line.level:
            ends[open_headings.pop()] = _last_filled(lines, 0, i)
        open_headings.append(i)
    for i in open_headings:
        ends[i] = _last_filled(lines, i, len(lines))
    return ends


def _item_ends(lines: Sequence[_Line]) -> dict[int, int]:
    """For each list item, its last line: nested items and continuation lines belong to it.

    A line indented deeper than the item's marker continues it; so does a plain text line right
    after it (markdown's lazy continuation). After a blank line only deeper lines continue it.
    """
    ends: dict[int, int] = {}
    open_items: list[int] = []
    last_filled = -1
    for i, line in enumerate(lines):
        if line.kind == "blank":
            continue
        after_blank = last_filled != i - 1
        while open_items:
            item = lines[open_items[-1]]
            deeper = line.indent > item.indent
            lazy = line.kind in ("text", "name") and not after_blank
            if deeper or lazy:
                break
            ends[open_items.pop()] = last_filled
        if line.kind == "list_item":
            open_items.append(i)
        last_filled = i
    for j in open_items:
        ends[j] = last_filled
    return ends


def _covered(count: int, ends: dict[int, int]) -> list[bool]:
    """For each line, whether it lies inside one of the spans first line -> last line (a running
    count of open spans, so nested items cost no more than flat ones)."""
    opened = [0] * (count + 1)
    for first, last in ends.items():
        opened[first] += 1
        opened[last + 1] -= 1
    covered, depth = [], 0
    for i in range(count):
        depth += opened[i]
        covered.append(depth > 0)
    return covered


def _last_outside(lines: Sequence[_Line], covered: Sequence[bool]) -> list[int]:
    """For each line, the last line up to it that is neither blank nor covered (-1 if none): what
    introduces a list or a run of cards that ends there."""
    found: list[int] = []
    last = -1
    for line, inside in zip(lines, covered, strict=True):
        if line.kind != "blank" and not inside:
            last = len(found)
        found.append(last)
    return found


def _section_leads(lines: Sequence[_Line]) -> dict[int, int]:
    """For each heading, the line introducing its run of sibling headings: the parent heading, or
    else the last non-blank line above the first sibling (-1 if none). One pass with the stack of
    open headings."""
    leads: dict[int, int] = {}
    first_sibling: dict[int, int] = {}
    open_headings: list[int] = []
    for i, line in enumerate(lines):
        if line.kind != "heading":
            continue
        while open_headings and lines[open_headings[-1]].level > line.level:
            open_headings.pop()
        if open_headings and lines[open_headings[-1]].level == line.level:
            first_sibling[i] = first_sibling[open_headings.pop()]
        else:
            first_sibling[i] = i
        if open_headings:
            leads[i] = open_headings[-1]
        else:
            j = first_sibling[i] - 1
            while j >= 0 and lines[j].kind == "blank":
                j -= 1
            leads[i] = j
        open_headings.append(i)
    return leads


def _block_ends(lines: Sequence[_Line]) -> dict[int, int]:
    """For each name line outside a list, the last line of its card."""
    ends: dict[int, int] = {}
    for i, line in enumerate(lines):
        if line.kind != "name":
            continue
        last = i
        for j in range(i + 1, len(lines)):
            if lines[j].kind in ("blank", "name", "heading"):
                break
            last = j
        ends[i] = last
    return ends
