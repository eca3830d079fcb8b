"""Sentiment of what an answer says about a brand, in [-1, 1], as a reader would judge it.

The words are judged by VADER, a maintained general-purpose lexicon with rules for negation,
intensifiers and "but" (it ships its lexicon in the package). Two general readings help it: an
inflected word it does not list is read as its listed stem ("lacks" as "lack"), and "less"/"fewer"
before a word it rates reverses it ("less prepared"), and "like" before a noun phrase is the
preposition ("tools like X"), not the verb. One domain fact it cannot know: in answers about
businesses some words it rates name what a business sells or deals with, not how good it is ("free"
is a price, "interest" a rate, "customer support", "urgent care", "injury claims"); they are read as
neutral. On top of it, the rules about recommendations:
- a brand warned against is negative;
- a brand recommended or offered as the top option without caveats is positive;
- a brand merely named (a list of names, a table row of plain facts) is neutral;
- otherwise the praise and the caveats are weighed: the mean of the opinionated sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ai_visibility.extraction.text_units import plain, split_units

Label = Literal["positive", "neutral", "negative"]

# VADER's own cut-off between neutral and opinionated text (compound score).
OPINION = 0.05
# "avoid X" warns; "to avoid delays" / "helps you avoid fees" states a purpose.
WARNED = re.compile(
    r"(?<!\bto )(?<!\bhelps you )(?<!\bhelp you )\b(?:avoid|steer clear)\b"
    r"|\b(?:be (?:cautious|careful)|think twice|red flag)"
    r"|(?:\bnot|n['’]t|\bnever|\bno longer)\s+(?:\w+\s+)?recommend",
    re.I,
)
RECOMMENDED = re.compile(
    r"\b(recommend(?:ed|s)?|best (?:overall|choice|option|pick|fit|bet)|top (?:pick|choice)|our pick|go with"
    r"|first choice|is the best|stands? out|leads(?! to)"
    r"|the (?!(?:other|former|latter|inner|outer|upper) )(?:\w+er|\w+est) (?:option|choice|pick|bet))\b",
    re.I,
)
BUT = re.compile(r"\bbut\b", re.I)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
DIMINISHED = re.compile(r"\b(?:less|fewer)\s+(?=[A-Za-z])", re.I)
# Words VADER rates that, in answers about businesses, name the subject (a price, a product, a
# service, what a practice treats or a firm handles), grouped by the kind of business they come from.
SUBJECT_WORDS = frozenset(
    """
free bonus reward rewards gift credit interest save savings share trust pay charges debt
support security secure protection benefit benefits
care urgent emergency pain cancer disease injury accident accidents death
damage leak leaks broken
""".split()  # noqa: SIM905 - a word list reads better as text
)
# "like" is the preposition when a noun phrase follows ("tools like X", "features like pipelines").
PREPOSITION_LIKE = re.compile(
    r"\blike\s+(?!(?:it|its|them|their|this|that|how|what)\b)(?=(?:a|an|the)\b|[A-Z0-9]|\s|\w+s\b)"
)
# A table cell this short is a fact (a price, "Yes", "Weekdays only"), not an opinion.
FACT_CELL_WORDS = 3


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    for word in SUBJECT_WORDS:
        analyzer.lexicon.pop(word, None)
    return analyzer


@lru_cache(maxsize=8192)
def score(text: str) -> float:
    """VADER's compound score of one statement (remembered: claims and mentions score the same
    sentences)."""
    words = [_rated(w.lower()) for w in WORD.findall(text)]
    if not any(words):
        return 0.0  # no word VADER rates: its score would be 0 (skipping it keeps extraction fast)
    text = WORD.sub(lambda m: _rated(m.group(0).lower()) or m.group(0), text)
    text = DIMINISHED.sub("not ", text)
    text = PREPOSITION_LIKE.sub("as ", text)
    return round(float(_analyzer().polarity_scores(text)["compound"]), 3)


@lru_cache(maxsize=65536)
def _rated(word: str) -> str:
    """The form of `word` VADER rates (itself, or its stem: "lacks" -> "lack"), or ""."""
    lexicon = _analyzer().lexicon
    if word in lexicon:
        return word
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            if stem in lexicon:
                return stem
    return ""


def label(value: float) -> Label:
    if value >= OPINION:
        return "positive"
    if value <= -OPINION:
        return "negative"
    return "neutral"


def judge(passages: Sequence[str]) -> tuple[float, Label]:
    """Score and label of a brand from its passages (brand names already masked out, so that a name
    like "Trust Bank" or "Bright Spark" is not read as praise)."""
    scores = [_weighed(s) for passage in passages for s in _statements(passage)]
    opinions = [s for s in scores if abs(s) >= OPINION]
    text = " ".join(passages)
    if WARNED.search(text):
        value = min([-0.5, *opinions])
    elif RECOMMENDED.search(text) and not any(s < 0 for s in opinions):
        value = max([0.5, *opinions])
    elif not opinions:
        value = 0.0
    else:
        value = sum(opinions) / len(opinions)
    value = round(value, 3)
    return value, label(value)


def _weighed(statement: str) -> float:
    """A statement's score, where "but" turns it: what follows "but" is the point (VADER weighs it
    so), so praise followed by "but" and a caveat the lexicon cannot rate ("but it is expensive")
    reads as that caveat, and the reverse."""
    whole = score(statement)
    turn = BUT.search(statement)
    if turn is None or whole == 0.0:
        return whole
    before, after = score(statement[: turn.start()]), score(statement[turn.end() :])
    if abs(after) < OPINION and abs(before) >= OPINION and statement[turn.end() :].strip():
        return -before
    return whole


def _statements(passage: str) -> list[str]:
    """The sentences, items and rows of a passage, as plain text; table rows keep only their
    descriptive cells."""
    found = []
    for unit in split_units(passage):
        if unit.kind == "table_row":
            cells = [c.strip() for c in _cells(unit.text)]
            found += [c for c in cells if len(c.split()) > FACT_CELL_WORDS]
        else:
            found.append(plain(unit.text))
    return [f for f in found if f]


def _cells(row: str) -> list[str]:
    return [plain(cell) for cell in row.strip().strip("|").split("|")]
