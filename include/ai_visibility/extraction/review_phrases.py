"""The review-phrase lexicon: phrases and words of reviews, each with a valence on VADER's scale.

`review_phrases.tsv` (phrase, valence, category, note) was written from general knowledge of
reviews, independently of the labelled sets: what reviews of products, shops and providers say
about price and value, quality, staff, speed, premises, food, software, billing, trust and
reputation, and faint or mixed verdicts ("decent", "nothing special", "a few hiccups"). Its
"neutral-subject" entries (valence 0) name what a business sells, a plan tier or a service ("free
trial", "urgent care", "credit score", "bedside manner"): VADER would rate their words, a reader
does not. It is merged under `review_words`, whose entries win where both list a phrase.

Entries are left out where they would misread the answers this project reads or where a token with
a digit or a symbol could never be matched as one word (`LEFT_OUT`), and read as neutral where the
definitions call them facts (`AS_FACTS`: a delivery option, a contract's terms, a fee; and by
`PRICE_FACT` every "free X" and "no X fee", a price), each with its reason.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("review_phrases.tsv")
NEUTRAL = "neutral-subject"

# Entries not used, with why: each was checked against every labelled set and the definitions.
LEFT_OUT: dict[str, str] = {
    "24/7 support": "opening hours are a fact (docs/definitions.md: a criterion, not a grade)",
    "24/7 customer service": "opening hours are a fact",
    "a+ rating": "ratings are facts (docs/definitions.md, Ratings are facts)",
    "5-star rating": "ratings are facts",
    "1-star rating": "ratings are facts",
    "5-star reviews": "a digit token is never matched as one word ('five-star reviews' is read)",
    "5-star service": "a digit token is never matched as one word",
    "1-star reviews": "read by review_words' outcome levels (one- and two-star reviews)",
    "lawsuits": "a subject word (lexicon.BUSINESS_WORDS: what a law firm handles)",
    "malpractice": "a practice area a law firm handles ('a malpractice attorney'), as 'injury' is",
    "uninsured": "names an insurance product ('uninsured motorist coverage')",
    **dict.fromkeys(
        ("cockroaches", "roaches", "bed bugs"),
        "an animal is subject matter by subject_lexicon's criterion (what a pest firm treats)",
    ),
    "legitimate": "'legitimate complaints' grants the complaint, not the business",
}

# Entries read as neutral instead of the valence the file gives, with why: the definitions call
# these facts, or the answers read here state them as facts of an offer.
AS_FACTS: dict[str, str] = {
    **dict.fromkeys(
        ("same-day delivery", "next-day delivery", "same-day service", "same day service", "same-day appointments"),
        "a service option offered is a criterion, not a grade (as 'Electricians open on Sundays')",
    ),
    "round-the-clock support": "opening hours are a fact",
    "extra legroom": "a seat class offered is a feature named",
    **dict.fromkeys(
        (
            "no contract",
            "no contracts",
            "no long-term contract",
            "cancel anytime",
            "cancel at any time",
            "pause anytime",
        ),
        "a contract's terms are facts, as 'no setup fee' is a price (not_opinions, no charge)",
    ),
    **dict.fromkeys(
        ("no cancellation fees", "no cancellation fee", "cancellation fees", "cancellation fee"),
        "a fee, or none, is a price: only its level is judged (review_words, price levels)",
    ),
    **dict.fromkeys(
        (
            "early termination fee",
            "early termination fees",
            "full refund",
            "price match",
            "price matching",
            "money-back guarantee",
            "money back guarantee",
            "satisfaction guarantee",
            "price guarantee",
            "sliding scale",
            "fee-free",
            "commission-free",
            "interest-free",
            "complimentary breakfast",
            "ad-free",
            "ad free",
        ),
        "a term or an offer of the contract, a fact as 'free' is",
    ),
    **dict.fromkeys(
        ("overdraft fees", "restocking fee", "restocking fees", "resort fees", "convenience fees", "add-on fees"),
        "a kind of fee named is a price, only its level is judged",
    ),
    **dict.fromkeys(
        (
            "licensed and insured",
            "fully licensed",
            "licensed and bonded",
            "bonded and insured",
            "background-checked",
            "accredited",
            "board-certified",
            "board certified",
            "bbb accredited",
            "passed inspection",
        ),
        "a credential held is a fact, as a rating is (docs/definitions.md: 'Licensed for ... work' in a plain card)",
    ),
    **dict.fromkeys(("five-star rating", "one-star rating"), "ratings are facts (docs/definitions.md)"),
    **dict.fromkeys(
        ("homemade", "made from scratch", "authentic"),
        "a kind of food offered ('homemade pasta', 'authentic Thai') is a feature named, as a menu is",
    ),
    **dict.fromkeys(
        ("wheelchair accessible", "pet friendly", "dog friendly", "eco friendly", "family friendly", "kid friendly"),
        "a feature offered is a criterion, not a grade ('Hotels that allow dogs')",
    ),
}

# "free X" and "no X fee" state a price, as "free" and "no setup fee" do (lexicon, not_opinions): a
# price is no judgement, only its level is ("low fees", "hidden fees" are judged).
PRICE_FACT = re.compile(r"^(?:free\s.+|(?:no|zero)\s+(?!hidden\b)(?:[a-z-]+\s+){0,2}?(?:fees?|minimum balance))$")


@lru_cache(maxsize=1)
def entries() -> dict[str, float]:
    """Every entry used, lowercased, with its valence (0 for a neutral subject)."""
    found: dict[str, float] = {}
    with DATA.open(newline="", encoding="utf-8") as rows:
        for row in csv.reader(rows, delimiter="\t"):
            phrase, valence, category = row[0].strip().lower(), float(row[1]), row[2].strip()
            if phrase in LEFT_OUT:
                continue
            fact = category == NEUTRAL or phrase in AS_FACTS or PRICE_FACT.match(phrase) is not None
            found[phrase] = 0.0 if fact else valence
    return found


def words() -> dict[str, float]:
    """The single words (hyphenated compounds included): merged into VADER's lexicon as they are."""
    return {p: v for p, v in entries().items() if " " not in p}


def phrases() -> dict[str, float]:
    """The phrases of several words: each read as one token, its words joined by hyphens."""
    return {p: v for p, v in entries().items() if " " in p}
