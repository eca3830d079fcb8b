"""The most of an answer extraction reads.

Past MAX_ANSWER_CHARS an answer is cut and the cut recorded, so a runaway answer costs bounded time
(extraction is linear in what it reads). Real answers are a few thousand characters.
"""

from __future__ import annotations

MAX_ANSWER_CHARS = 100_000


def readable(answer: str) -> str:
    """The part of the answer extraction reads."""
    return answer[:MAX_ANSWER_CHARS]


def truncated_from(answer: str) -> int | None:
    """The answer's length if extraction cuts it, else None."""
    return len(answer) if len(answer) > MAX_ANSWER_CHARS else None


def truncation_note(answer: str) -> str:
    """What to record with the extraction of `answer`: empty unless it was cut."""
    if len(answer) <= MAX_ANSWER_CHARS:
        return ""
    return f" (answer cut to its first {MAX_ANSWER_CHARS} of {len(answer)} characters)"
