"""Table columns that judge the brand of each row: a verdict, a pick, a "Best for".

A short table cell is a fact ("$12", "Yes", "Weekdays only"), unless its column is headed as a
verdict ("Verdict", "Our pick", "Recommended", "Our take") or as what the brand is best for ("Best
for", "Ideal for"): there a tick recommends, a cross does not, a word or two judges ("Solid
choice", "Overpriced"), and any "Best for" cell puts the brand forward as the pick for it
(docs/definitions.md, Sentiment: "Verdicts and 'Best for'").
"""

from __future__ import annotations

import re

from ai_visibility.extraction.text_units import plain

VERDICT = re.compile(
    r"^(?:(?:our |the |my )?(?:verdict|pick|take|recommendation)|recommended\??|bottom line|should you buy\??)$", re.I
)
BEST_FOR = re.compile(r"^(?:best|ideal|good|great|perfect) for$", re.I)
YES = re.compile(r"^(?:✓|✔|✔️|✅|☑️?|yes|y)$", re.I)
NO = re.compile(r"^(?:✗|✘|❌|✖️?|no|n)$", re.I)
# A verdict that turns the brand down by a verb of refusal, with or without its reason ("Skip: lost
# claims", "Avoid for now", "Pass"): a warning, as "Avoid" is (docs/definitions.md).
REFUSED = re.compile(r"^(?:skip|avoid|pass|steer clear|stay away)\b", re.I)


def verdicts(header: str, row: str) -> list[str]:
    """What the row's verdict and "Best for" cells say, as statements the tone is read from:
    "Recommended." for a tick under "Recommended", "Not recommended." for a cross, "Best for
    startups." for a "Best for" cell, the cell itself for a verdict in words."""
    said = []
    for title, cell in zip(_cells(header), _cells(row), strict=False):
        if not cell:
            continue
        if BEST_FOR.match(title):
            said.append(f"Best for {cell}.")
        elif VERDICT.match(title):
            if YES.match(cell):
                said.append("Recommended.")
            elif NO.match(cell) or REFUSED.match(cell):
                said.append("Not recommended.")
            else:
                said.append(f"Verdict: {cell}.")
    return said


def _cells(row: str) -> list[str]:
    return [plain(cell).strip(" :") for cell in row.strip().strip("|").split("|")]
