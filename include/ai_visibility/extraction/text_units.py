"""Split an answer into the units people read: headings, list items, table rows and sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["heading", "list_item", "table_row", "sentence"]

HEADING = re.compile(r"^\s*#{1,6}\s+")
LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
# A sentence ends at . ! or ? (with a closing quote or bracket and any [n] citation markers right
# after it), then space and a capital, a quote, a bracket, a digit or markdown emphasis.
# Abbreviations do not end one.
SENTENCE_END = re.compile(r"(?P<word>[\w.]*)[.!?][\"'’”)]*(?:\[\d{1,3}\])*\s+(?=[A-Z\"'(\[*_0-9])")
ABBREVIATIONS = {"e.g", "i.e", "vs", "etc", "inc", "ltd", "co", "mr", "mrs", "ms", "dr", "st", "no", "approx", "u.s"}
MARKDOWN_NOISE = re.compile(r"(\*\*|__|`|~~)")


@dataclass(frozen=True)
class Unit:
    text: str
    start: int
    end: int
    kind: UnitKind
    line: int


def plain(text: str) -> str:
    """The unit without markdown emphasis or list/table punctuation."""
    text = MARKDOWN_NOISE.sub("", text)
    text = LIST_ITEM.sub("", text, count=1)
    return " ".join(text.replace("|", " ").split())


def split_units(answer: str) -> list[Unit]:
    units: list[Unit] = []
    offset = 0
    for line_no, line in enumerate(answer.splitlines(keepends=True)):
        start, body = offset, line.rstrip("\r\n")
        offset += len(line)
        if not body.strip() or TABLE_RULE.match(body):
            continue
        lead = len(body) - len(body.lstrip())
        if HEADING.match(body):
            units.append(Unit(body.strip(), start + lead, start + len(body), "heading", line_no))
        elif TABLE_ROW.match(body):
            units.append(Unit(body.strip(), start + lead, start + len(body), "table_row", line_no))
        elif LIST_ITEM.match(body):
            units.append(Unit(body.strip(), start + lead, start + len(body), "list_item", line_no))
        else:
            units.extend(_sentences(body, start, line_no))
    return units


def _sentences(body: str, start: int, line_no: int) -> list[Unit]:
    units = []
    cursor = 0
    ends = [m for m in SENTENCE_END.finditer(body) if m.group("word").lower().strip(".") not in ABBREVIATIONS]
    for m in [*ends, None]:
        end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip())) if m else len(body)
        piece = body[cursor:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            units.append(
                Unit(stripped, start + cursor + lead, start + cursor + lead + len(stripped), "sentence", line_no)
            )
        cursor = m.end() if m else len(body)
    return units


def table_header_lines(answer: str) -> set[int]:
    """Line numbers of table header rows (the row right above a `|---|` rule)."""
    lines = answer.splitlines()
    return {i - 1 for i, line in enumerate(lines) if i > 0 and TABLE_RULE.match(line) and TABLE_ROW.match(lines[i - 1])}
