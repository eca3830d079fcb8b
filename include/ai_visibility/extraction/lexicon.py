"""The lexicon the tone of an answer is read with: VADER's, adjusted for answers about businesses.

VADER's lexicon was built from social-media text. Five kinds of its entries say nothing about a
business in an answer that describes one, and are taken out:
- the entries that name a thing, a place, a time or an event ("cancer", "emergency", "fire",
  "holiday"), drawn from the whole lexicon by a WordNet criterion (`subject_lexicon`);
- words that name what a business sells or deals with, not how good it is ("free" is a price,
  "interest" a rate, "accepts" what a business takes, "approved for" a status, "allows" a policy
  ("pets allowed"), "an eviction" or "a foreclosure" what a firm handles, "customer support",
  "urgent care", "injury claims", "a lawsuit", "private parties" as an event a venue hosts,
  "solar energy", "drain cleaning", "breed-specific cuts", "price cuts", "works offline" as a mode a
  product works in, "text alerts" as a feature it has; the terms of a
  membership and a product's life: "join in the app", "launched last spring", "shared office space"; a
  customer's right to cancel is read as a term in `review_words`; what a business promises, "the
  promised date", is its claim, not a judgement), grouped below by the kind of
  business they come from; they are not read as an inflection of a word it rates either;
- its chat initialisms (every entry of two to four letters that is not an English word: "lol",
  "ty", "tx" for "thanks", "kia"): in an answer such a token is a code or a name ("Dallas, TX",
  "NFC payments", "a Kia dealer");
- the entries near 0 (see NEAR_NEUTRAL);
- "no", which VADER rates on its own as a refusal ("No!"); in an answer it states a fact ("no
  branches in Ohio", "No" in a table). VADER still reads it as the negation of a word it rates
  ("no good", "no hidden fees"), and a lack after "but" is the caveat (`sentiment._weighed`).
The review words VADER does not rate (`review_words`) are merged in.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ai_visibility.extraction import review_phrases, review_words, subject_lexicon
from ai_visibility.extraction.words import is_everyday_word

# Words VADER rates that, in answers about businesses, name the subject (a price, a product, a
# service, what a practice treats or a firm handles), grouped by the kind of business they come from.
BUSINESS_WORDS = frozenset(
    """
free bonus reward rewards gift credit interest save savings share trust pay charges charged debt
accept accepts accepted accepting allow allows allowed approved eviction foreclosure
support security secure protection benefit benefits
offline energy alerts
join launched shared
party parties
promise promises promised
care urgent emergency pain cancer disease injury accident accidents death lawsuit lawsuits
damage leak leaks broken
cleaning cleanings cut cuts haircut haircuts
""".split()  # noqa: SIM905 - a word list reads better as text
)
SUBJECT_WORDS = BUSINESS_WORDS | subject_lexicon.WORDS
CHAT_INITIALISM = re.compile(r"[a-z]{2,4}")
# VADER's raters scored each word from -4 to +4 and it keeps every word whose mean is not 0; a mean
# this close to 0 ("number" 0.3, "matters" 0.1, "freeway" 0.2) is a word they found neutral.
NEAR_NEUTRAL = 0.3
# "no" is rated on its own as a refusal ("No!"), and "yes" as assent; in an answer each states a
# fact ("no branches in Ohio", "No" in a table, "Yes, 10 GB a month"). VADER's own rule that "no"
# negates the rated word after it ("no good") does not depend on the entry and still applies; a lack
# after "but" is read as the caveat.
NOT_OPINIONS = frozenset({"no", "yes"})


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """VADER with the lexicon above (built once: loading it takes a tenth of a second)."""
    vader = SentimentIntensityAnalyzer()
    lexicon = vader.lexicon
    chat = [w for w in lexicon if CHAT_INITIALISM.fullmatch(w) and not is_everyday_word(w)]
    weak = [w for w, v in lexicon.items() if abs(v) <= NEAR_NEUTRAL]
    neutral = [w for w, v in review_phrases.words().items() if v == 0]  # "budget", "luxury": a tier
    for word in (*SUBJECT_WORDS, *NOT_OPINIONS, *chat, *weak, *neutral):
        lexicon.pop(word, None)
    lexicon.update(review_words.lexicon())
    return vader
