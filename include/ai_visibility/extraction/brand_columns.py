"""Tables with one column per brand ("| Feature | Northwind Bank | Chase |"): a brand's passages
there are its header cell and its cell in each row, each cell a passage (docs/definitions.md,
Passages). A table whose header names fewer than two brands outside its first cell is an ordinary
one: a row naming a brand is that brand's passage, whole.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from ai_visibility.extraction.brand_matching import Hit
from ai_visibility.extraction.passages import Layout, Passage
from ai_visibility.extraction.text_units import TABLE_RULE

PIPE = re.compile(r"\|")


def column_passages(answer: str, layout: Layout, hits: Sequence[Hit]) -> dict[int, list[Passage]]:
    """For each hit in the header of a brand-per-column table (by its offset), the cells of its
    column: the header cell first, then the cell in each row below."""
    starts = [h.start for h in hits]
    found: dict[int, list[Passage]] = {}
    lines = layout.lines
    for i, line in enumerate(lines[:-1]):
        if line.kind != "table_row" or layout.table_starts[i] != i:
            continue
        if not TABLE_RULE.match(answer[lines[i + 1].start : lines[i + 1].end]):
            continue
        header = _cells(answer, line.start, line.end)
        named = {
            j: hits[k]
            for j, (a, b) in enumerate(header)
            if j > 0
            for k in range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))
        }
        if len({h.brand for h in named.values()}) < 2:
            continue
        rows = []
        j = i + 2
        while j < len(lines) and lines[j].kind == "table_row":
            rows.append(_cells(answer, lines[j].start, lines[j].end))
            j += 1
        for column, hit in named.items():
            cells = [header[column], *(row[column] for row in rows if column < len(row))]
            found[hit.start] = [Passage(a, b, "table_cell") for a, b in cells if b > a]
    return found


def _cells(answer: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a row's cells, without the pipes and the spaces around each cell's text."""
    pipes = [m.start() for m in PIPE.finditer(answer, start, end)]
    spans = []
    for a, b in itertools.pairwise(pipes):
        text = answer[a + 1 : b]
        lead = len(text) - len(text.lstrip())
        spans.append((a + 1 + lead, a + 1 + len(text.rstrip())))
    return spans
