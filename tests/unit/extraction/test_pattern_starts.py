"""The two hottest patterns open with an assertion that a match starts a word, so the regex engine can
skip the middle of words. That is only a speed-up while every entry does start a word: an entry added
later that could match inside a word would silently never match. Reading every labelled answer with
and without the assertion must find the same spans."""

from __future__ import annotations

import re

import pytest

from ai_visibility.evaluation.scoring import CASES, TRAINING, load_verticals
from ai_visibility.extraction.picks import WARNED
from ai_visibility.extraction.review_words import LEVEL

STARTS = {
    "WARNED": (WARNED, r"(?:(?<!\w)|(?=[n.!?,;:]))(?:"),
    "LEVEL": (LEVEL, r"(?<!\w)(?=\w)(?:"),
}


def answers() -> list[str]:
    verticals = [vertical for folder in (CASES, TRAINING) for vertical in load_verticals(folder)]
    return [case.answer for vertical in verticals for case in vertical.cases]


@pytest.mark.parametrize("name", STARTS)
def test_the_word_start_assertion_only_skips_places_where_nothing_matches(name: str) -> None:
    pattern, start = STARTS[name]
    assert pattern.pattern.startswith(start) and pattern.pattern.endswith(")"), f"{name} no longer opens with {start!r}"
    anywhere = re.compile(pattern.pattern[len(start) : -1], pattern.flags)
    texts = answers()
    assert len(texts) > 300
    for text in texts:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in anywhere.finditer(text)]
