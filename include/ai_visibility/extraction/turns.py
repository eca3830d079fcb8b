"""How a statement turns: VADER's "but", the turning words it does not know ("however", "that
said", a comma's "yet") read as its "but", concessions ("Although X, Y") weighed as it weighs "but",
and a sentence that opens by turning on the one before it."""

from __future__ import annotations

import re

BUT = re.compile(r"\bbut\b", re.I)
# Turning words VADER does not know, read as its "but": what follows is the point.
TURNING = r"however|that said|nevertheless|nonetheless|even so"
TURN = re.compile(
    rf"(?:,\s*|;\s*|\s+)(?:{TURNING})(?:,\s*|\s+)"
    # "yet" as a conjunction after a comma ("a friendly front desk, yet customers report ..."); "not yet" is not one
    r"|,\s*yet\s+"
    # "though" set off by commas is the adverb ("Since spring, though, refunds ..."), a turn like "however"
    r"|,\s*though\s*,\s*",
    re.I,
)
# "Although X, Y" and "Y, although X": the concession X weighs less than the point Y.
CONCEDING = r"although|though|even though"
CONCESSION_FIRST = re.compile(rf"^\s*(?:{CONCEDING}|while|whilst)\s+(?P<x>[^,]+),\s*(?P<y>.+)$", re.I | re.S)
CONCESSION_AFTER = re.compile(rf"^(?P<y>.+?),?\s+(?:{CONCEDING})\s+(?P<x>.+)$", re.I | re.S)
# A sentence that opens by turning on the one before it.
OPENS_WITH_TURN = re.compile(
    rf"^\W*(?:{TURNING}|but|yet|unfortunately|on the downside|the downside)\b"
    # or turns after its first words: "Since January, though, ...", "Its support, however, ..."
    r"|^[^.;:,]{1,40},\s*(?:though|however)\s*,",
    re.I,
)


def as_but(text: str) -> str:
    """A concession or a turn VADER does not know, rewritten with its "but": "Although X, Y" and
    "Y, although X" as "X but Y"; "X. However, Y" and "X, however, Y" as "X but Y"."""
    text = TURN.sub(" but ", text)
    m = CONCESSION_FIRST.match(text) or CONCESSION_AFTER.match(text)
    if m:
        return f"{m.group('x').strip()} but {m.group('y').strip()}"
    return text
