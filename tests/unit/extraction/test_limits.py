"""Extraction cost grows linearly with the answer and stops at MAX_ANSWER_CHARS (counted, not timed)."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from ai_visibility.extraction import limits
from ai_visibility.extraction.answer import extract_answer
from ai_visibility.extraction.mentions import read_mentions
from tests.bench_extraction import large_answer
from tests.helpers import demo_org_view

ORG = demo_org_view()


def lines_run(text: str) -> int:
    """Lines of the extraction package run to extract `text`: its work, whatever the machine's speed."""
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if "ai_visibility/extraction" not in frame.f_code.co_filename:
            return None
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        extract_answer(text, ORG)
    finally:
        sys.settrace(None)
    return count


def test_extraction_work_grows_linearly_with_the_answer() -> None:
    text = large_answer(40_000)
    extract_answer(text[:1_000], ORG)  # warm the lexicon and word caches
    small, double = lines_run(text[:20_000]), lines_run(text)
    assert double < 2.3 * small


def test_an_answer_past_the_limit_is_cut_and_the_cut_recorded(monkeypatch: Any) -> None:
    monkeypatch.setattr(limits, "MAX_ANSWER_CHARS", 10_000)
    text = large_answer(40_000)
    read = read_mentions(text, ORG)
    assert read.truncated_from == 40_000
    assert max(p.end for b in read.passages for p in b.passages) <= 10_000
    assert "answer cut to its first 10000 of 40000 characters" in limits.truncation_note(text)
    assert limits.truncation_note(text[:10_000]) == ""
    assert extract_answer(text, ORG)["metrics"]["answer_chars"] == 10_000
    at_limit, far_past = lines_run(text[:10_000]), lines_run(text)
    assert far_past < 1.1 * at_limit
