"""Stretches of a statement whose rated words say nothing about the brand it describes.

VADER scores every word it rates wherever it stands; a reader does not. In answers about
businesses four kinds of stretch carry rated words that are no judgement of the business:
- a **proper name** other than the brand's (a regulator, a certification, a product line): two or
  more capitalised words in a row after the first word of the statement ("the Better Business
  Bureau", "a Good Housekeeping seal", "Happy Valley");
- the **reader's need or situation**: what follows "for" or "if you" ("for drivers with bad credit",
  "for people who hate paperwork", "if you are worried about fees"; a need is a noun phrase, so it
  ends at the statement's own verb: "refunds for returned chairs took months"), and a state to come, after
  "once" or "until" ("check back once the new app is stable"), unless "for" gives the reason of a
  judgement ("known for", "criticised for") or the brand's own traits ("for its slow payouts");
- the **customers a business serves**, after a way with them ("patient with nervous drivers",
  "good with anxious cats");
- the **circumstance a product works through**: a clause "when the ...", "if a ..." ("keeps
  recording when the power fails"): its trouble is the world's, so its negative words are not read;
- the **problem a business handles**: the object of a verb that removes, prevents or treats it
  ("quarantines infected files", "kills termites", "cuts your energy bill", "protects against
  fraud"), and the verb itself, which names the service whether VADER rates it as harm ("kill",
  "cut", "block") or as a pleasure ("treats": a treat); opening a statement with a preposition or a
  verb after it, the word is its subject, a noun ("Repairs for older boilers are slow");
- **no charge**: "no" before what a customer pays ("no setup fee") states a price, as "free" does;
- **trouble nobody reported**: "no customers have reported missing deliveries";
- the **alternative set aside**: what follows "rather than" or "instead of" ("real people answer
  the phone rather than a frustrating phone tree").
In each the rated words are replaced by a word VADER does not rate, so that the rest of the
statement is read as before (its negations, intensifiers and "but" still apply).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ai_visibility.extraction.review_words import COST, DELAYS

NEUTRAL = "thing"
WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Two or more capitalised words in a row (a name); the statement's first word is English's capital,
# unless a number stands before it: a street address ("3211 Grand Ave") is a name too.
CAPITALISED = r"[A-Z][a-z][\w'’-]*"
NAME_RUN = re.compile(
    rf"(?:(?<=[a-z] )|(?<=[a-z], )|(?<=\()|(?<=\d )){CAPITALISED}(?: (?:{CAPITALISED}|&|of|and)){{0,4}} {CAPITALISED}"
)
# Where the stretch after a trigger ends: punctuation or a word that opens another clause.
CLAUSE_WORD = r"(?:and|but|or|while|whereas|which|that|because|so|although|though)\b"
STRETCH = rf"(?P<stretch>(?:\s+(?!{CLAUSE_WORD})[\w'’-]+){{1,6}})"
# "for" the reader's need; not after a judgement whose reason it gives ("known for", "flag it for",
# "complaints for"), nor before the brand's own traits ("for its slow payouts").
# The need is a noun phrase: a verb after it is the statement's own ("refunds for returned chairs took
# months": the delay is the brand's).
PREDICATE = (
    r"(?:is|are|was|were|has|have|had|can|could|will|would|took|take|takes|taking|keep|keeps|kept|tend|tends"
    rf"|{'|'.join(DELAYS)})(?![\w-])"  # a delay read as one token holds its verb ("took months")
)
FOR_NEED = re.compile(
    # (a number after "for" is a span, a price or a year, not a need: "the file for 2025 lists violations")
    rf"\bfor(?!\s+(?:its|their|his|her|this|that|it)\b)(?!\s+[$£€]?\d)(?P<stretch>(?:\s+(?!{CLAUSE_WORD}|{PREDICATE})[\w'’-]+){{1,6}})",
    re.I,
)
REASON_BEFORE = re.compile(
    r"\b(?:known|criticis\w*|criticiz\w*|notorious|infamous|blam\w*|fined|sued|su(?:e|es|ing)|fault\w*|flag\w*"
    r"|cit(?:e|es|ed|ing)|prais\w*|famous|noted|paid|pay(?:s|ing)?|charg\w*|complaints?|reputation|penali[sz]\w*"
    r"|reported|slammed|punished|apologi[sz]\w*|responsible|liable|watch(?: out)?|look out|prepared|brace\w*|budget"
    r"|reviews?|ratings?|criticism|flak|trouble|issues|problems)"
    r"(?:\s+(?:it|them|him|her|us|you))?\s+$",
    re.I,
)
CONDITION = re.compile(r"\b(?:(?:if|unless|when|whenever|whether) (?:you|your|you['’]re)\b|once|until)" + STRETCH, re.I)
# A circumstance the product works through, "when the power fails", "if a pipe bursts": the
# trouble is the world's, not the brand's (its negative words only: "when it works well" still praises).
CIRCUMSTANCE = re.compile(r"\b(?:if|when|whenever|in case) (?:the|a|an|your)\b" + STRETCH, re.I)
# A way with the customers a business serves, "patient with nervous drivers", "good with anxious
# cats": their state is theirs, not the brand's (negative words only).
SERVED = re.compile(
    r"\b(?:good|great|patient|gentle|calm|kind|wonderful|excellent|brilliant|fantastic|amazing|experienced|careful"
    r"|friendly|lovely)\s+with" + STRETCH,
    re.I,
)
SET_ASIDE = re.compile(r"\b(?:rather than|instead of)" + STRETCH, re.I)
# Trouble nobody reported: "No customers have reported missing deliveries" (negative words only).
UNREPORTED = re.compile(
    r"\b(?:no|not one|not a single|none of (?:the|its|their))\s+(?:[\w-]+\s+){0,2}?(?:have|has|had)\s+"
    r"(?:ever\s+)?(?:reported|complained about|mentioned)" + STRETCH,
    re.I,
)
# Verbs that remove, prevent or treat a problem; their object is that problem. Only the verb's own
# forms ("treats", "treated", not the noun "treatment"), not before "-ing" ("stops working" is a
# failure), an auxiliary ("the fixes were sloppy": a noun) or "corners" ("cut corners").
REMEDY_VERBS = """
isolate quarantine block stop prevent protect detect remove fix repair treat resolve reduce cut lower alert notify
waive fight combat eliminate relieve kill guard defend shield tackle solve handle manage address catch avoid avert
correct
""".split()  # noqa: SIM905 - a word list reads better as text
# ("refund" only with its object after it, "refunds any billing error": "refunds took months" is the noun)
IRREGULAR = [
    *("fought", "caught", "notified", "notifies", "stopped", "stopping", "cutting"),
    r"refund(?:s|ed|ing)?(?=\s+(?:any|all|every|the|a|an|your|their|its)\b)",
]
VERB_FORMS = "|".join(
    [*(rf"{v[:-1]}(?:e|es|ed|ing)" if v.endswith("e") else rf"{v}(?:s|es|ed|ing)?" for v in REMEDY_VERBS), *IRREGULAR]
)
AUXILIARY = r"(?:was|were|is|are|has|have|had|can|could|would|will|did|took|take|often|always|never|tend)\b"
REMEDY = re.compile(
    rf"\b(?P<verb>(?:{VERB_FORMS})(?:\s+(?:against|from|with))?|against)\b(?!\s+\w+ing\b)(?!\s+corners\b)"
    rf"(?!\s+{AUXILIARY})" + STRETCH,
    re.I,
)
# A remedy word opening a statement as its subject: a noun, with a preposition or a verb after it.
NOUN_SUBJECT = re.compile(r"[A-Z]\w*\s+(?:for|of|on|are|were|is|was|take|took|can|often|usually)\b")
# A manner adverb after the object judges how the problem is handled ("handles complaints poorly").
MANNER = re.compile(r"\w+ly$", re.I)


# A negation and the word it turns, a word or two after it ("aren't comfortable", "not very good").
NEGATED = re.compile(r"(?P<negation>\b(?:not|never|no|\w+n['’]t)\s+)(?P<words>[\w-]+(?: [\w-]+)?)", re.I)


# No charge is a price, as "free" is ("no setup fee", "without an annual contract"): no judgement.
NO_COST = re.compile(
    rf"\b(?:no|without)\s+(?=(?:[a-z-]+\s+){{0,2}}?(?:{COST}|rates?|contracts?|commitments?|minimums?)(?![\w-]))", re.I
)


def neutralised(text: str, valence: Callable[[str], float]) -> str:
    """`text` with the rated words of those stretches replaced by a word VADER does not rate.
    `valence` gives a word's rating (0 when unrated). In the need and the problem only criticism
    is misread, so only negative words, and praise a negation turns into criticism ("for parents
    who aren't comfortable with apps"), are replaced there: praise still counts ("for a fair
    price", "protects against fraud reliably")."""

    def negative(word: str) -> bool:
        return valence(word.lower()) < 0 and not MANNER.match(word)

    def unnegated(body: str) -> str:
        # praise negated in the reader's need is their state, as criticism there is ("for parents
        # who aren't comfortable with technology", "for people who are not very patient")
        def turned(m: re.Match[str]) -> str:
            words = m.group("words").split(" ")
            first = next((i for i, w in enumerate(words) if valence(w.lower()) > 0), None)
            if first is not None:
                words[first] = NEUTRAL
            return m.group("negation") + " ".join(words)

        return NEGATED.sub(turned, body)

    def every(word: str) -> bool:
        return True

    def blank(m: re.Match[str], which: Callable[[str], bool], verb: bool = False) -> str:
        start, end = m.start("stretch") - m.start(), m.end("stretch") - m.start()
        whole = m.group(0)
        head = (
            WORD.sub(lambda w: NEUTRAL if valence(w.group(0).lower()) else w.group(0), whole[:start])
            if verb
            else whole[:start]
        )
        body = WORD.sub(lambda w: NEUTRAL if which(w.group(0)) else w.group(0), whole[start:end])
        if which is negative:
            body = unnegated(body)
        return head + body + whole[end:]

    text = NAME_RUN.sub(lambda m: WORD.sub(NEUTRAL.title(), m.group(0)), text)  # still a name: "like Thing"
    text = NO_COST.sub("zero ", text)
    text = CONDITION.sub(lambda m: blank(m, every), text)
    text = SET_ASIDE.sub(lambda m: blank(m, every), text)
    text = CIRCUMSTANCE.sub(lambda m: blank(m, negative), text)
    text = UNREPORTED.sub(lambda m: blank(m, negative), text)
    text = SERVED.sub(lambda m: blank(m, negative), text)
    text = FOR_NEED.sub(
        lambda m: (
            m.group(0) if REASON_BEFORE.search(m.string, max(0, m.start() - 40), m.start()) else blank(m, negative)
        ),
        text,
    )
    # the statement's first word is its subject, a noun, when a preposition or a verb follows it
    # ("Repairs for older boilers are slow"); a list item's "Protects against fraud" is the verb
    return REMEDY.sub(
        lambda m: (
            m.group(0) if not text[: m.start()].strip() and NOUN_SUBJECT.match(m.group(0)) else blank(m, negative, True)
        ),
        text,
    )
