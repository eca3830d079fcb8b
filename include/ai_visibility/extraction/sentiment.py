"""Sentiment of what an answer says about a brand, in [-1, 1], as a reader would judge it.

The words are judged by VADER, a maintained general-purpose lexicon with rules for negation,
intensifiers and "but" (it ships its lexicon in the package), with the review words it does not
rate merged in (`review_words`: "expensive", "reliable", "hidden fees"). General readings help it:
a concession ("although it is pricey, ...", "..., however, ...", "..., yet ...") is weighed as VADER
weighs "but", the point after it, and a sentence opening with "However", "But" or "Yet" turns the
one before it; the items a line ending "but:" (or a "Cons:" line) introduces are caveats by the
answer's structure, whatever words they use; an
inflected word it does not list is read as its listed stem ("lacks" as "lack") and a British
spelling as its American entry ("disorganised"), and "less"/"fewer"
before a word it rates reverses it ("less prepared"), and "like" before a noun phrase is the
preposition ("tools like X"), not the verb. One domain fact it cannot know: in answers about
businesses some words it rates name what a business sells or deals with, not how good it is ("free"
is a price, "interest" a rate, "accepts" what a business takes, "customer support", "urgent care",
"injury claims"); they are read as neutral. On top of it, the rules about recommendations:
- a brand warned against is negative, and so is one among options the answer introduces as ones
  to avoid ("Lenders to steer clear of:", "Lenders to be careful with:"); warnings and picks are known by
  their class, not by listed phrases: advice to be on guard (be careful, wary, sceptical), a pick
  in the answer's own voice of another option ("I'd go with a different roofer"), a refusal of the
  brand by any verb of taking up an offer ("I wouldn't store furniture at X", "I wouldn't leave a
  car there"), passing on it or putting it off ("I'd hold off", "I'd pass on X"), a pick deferred
  until it recovers ("until X's phone line is staffed again") and, positive, a pick of it by one ("I'd buy from
  X", "I'd go to X", "I'd take my cat to X") or the answer's own pick named as a noun ("our
  recommendation is X"); "avoid" after "must", "can" or "to" is a need, not a warning;
- a brand recommended or offered as the top option without caveats is positive, and so is one
  presented among options the answer introduces as the best or recommended ones ("Here are the
  top-rated dentists:"), when its own passage carries no caveat;
- a brand merely named (a list of names, a table row of plain facts) is neutral;
- what others report having happened to them, when it tells of trouble ("two buyers found cracks
  under the paint"), is a complaint, and a precaution told to the reader ("screenshot the
  confirmation", "photograph anything fragile before the crew arrives") is a warning;
- otherwise the praise and the caveats are weighed: the mean of the opinionated sentences (a
  sentence that turns on the one before it weighing 1.5 against its 0.5). A faint limit stated in
  passing, not pointed out as a caveat ("evening slots are limited"), is as minor as one
  the answer calls minor: the definitions call a convenience caveat minor, and VADER's score is how
  faint it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from ai_visibility.extraction import lexicon, review_words
from ai_visibility.extraction.caveat_words import (
    CAVEAT,
    CORE_MATTER,
    DENIED,
    INTRODUCES_CAVEATS,
    LACK,
    MINOR_CAVEAT,
    MINOR_MATTER,
    MISHAP,
    MISMATCH,
    NAMED_CAVEAT,
    NAMES_CAVEATS,
    NEGATION,
    NO_TROUBLE,
    SAYS_NOT,
    SOFTENED,
    TIP,
    TROUBLE,
)
from ai_visibility.extraction.not_opinions import neutralised
from ai_visibility.extraction.picks import RECOMMENDED, VERIFIED_FIRST, WARNED
from ai_visibility.extraction.reports import NO_REPORT, REPORTED
from ai_visibility.extraction.text_units import plain, split_units
from ai_visibility.extraction.turns import BUT, OPENS_WITH_TURN, as_but

Label = Literal["positive", "neutral", "negative"]
# How the answer introduces the list, cards or headings a brand's passage is one of.
Framing = Literal["best", "warned"] | None

# VADER's own cut-off between neutral and opinionated text (compound score).
OPINION = 0.05
# Clear praise: "excellent" (2.7) and "great" (3.1); "friendly" (2.2), "good" (1.9) and "capable" are
# milder.
STRONG = 2.5
# Below this a statement's praise is faint: VADER scores "it has no hidden fees" 0.36 and "a good
# option" 0.44, while a lack with a stray rated word ("growing businesses outgrow it") stays under it.
CLEAR_PRAISE = 0.3
# VADER's score of a bare "no X" with "no" rated as it ships (-1.2): what a lack after "but" weighs.
LACK_WEIGHT = 0.296
# A caveat this faint is one word rated milder than VADER's 1 in a plain statement ("evening slots
# are limited" scores -0.23; "support is slow", -0.30, and "the app is clunky", -0.38, are
# not faint): a limit of convenience, as minor as a caveat the answer calls minor.
FAINT_CAVEAT = 0.25
# How much a recommendation, or a place among the options introduced as the best, weighs as praise
# against its passage's caveats: as a statement of plain praise ("a good option" scores 0.44).
ENDORSED = 0.5

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
CITATION_MARKER = re.compile(r"\[\d+\]")
# Endings of inflected forms VADER does not list, with what turns them back into the listed stem
# ("lacks" -> "lack", "cleanest" -> "clean", "easiest" -> "easy").
_INFLECTIONS = (("ies", "y"), ("iest", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("est", ""))
# British endings and VADER's American ones: -ise/-isation as -ize/-ization, -our as -or, -yse as -yze.
_SPELLINGS = (
    (re.compile(r"(?<=[a-z]{2})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})our(s|ed|ing|ful|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z])ys(e|es|ed|ing)$"), r"yz\1"),
)
DIMINISHED = re.compile(r"\b(?:less|fewer)\s+(?=[A-Za-z])", re.I)
# "like" is the preposition when a noun phrase follows ("tools like X", "features like pipelines").
PREPOSITION_LIKE = re.compile(
    r"\b[Ll]ike\s+(?!(?:it|its|them|their|this|that|how|what)\b)(?=(?:a|an|the)\b|[A-Z0-9'’\"“(]|\s|\w+s\b)"
)
# A table cell this short is a fact (a price, "Yes", "Weekdays only"), not an opinion.
FACT_CELL_WORDS = 3
# A line of a spec sheet, a field and its measure ("Vertical drop: 2,650 ft", "Lifts: 14", "Price:
# $39"), is a fact as a short cell is: its field names no quality.
SPEC_LINE = re.compile(r"^[^:]{1,40}:\s*[~≈$£€]?\d[\d,.]*\s*(?:[^\s\d]+\s*){0,2}$")


@lru_cache(maxsize=8192)
def score(text: str) -> float:
    """VADER's compound score of one statement (remembered: claims and mentions score the same
    sentences)."""
    # VADER knows "n't" and "don't" with a straight apostrophe only; engines often write a curly one.
    # A citation marker glued to a word ("weeks.[2]") would hide the word from VADER's lexicon.
    text = CITATION_MARKER.sub("", text)
    text = as_but(review_words.join_phrases(text.replace("’", "'").replace("‘", "'")))
    text = neutralised(text, _valence)
    words = [_rated(w.lower()) for w in WORD.findall(text)]
    if not any(words):
        return 0.0  # no word VADER rates: its score would be 0 (skipping it keeps extraction fast)
    text = WORD.sub(lambda m: _rated(m.group(0).lower()) or m.group(0), text)
    text = DIMINISHED.sub("not ", text)
    text = PREPOSITION_LIKE.sub("as ", text)
    return round(float(lexicon.analyzer().polarity_scores(text)["compound"]), 3)


def _valence(word: str) -> float:
    return float(lexicon.analyzer().lexicon.get(_rated(word), 0.0))


@lru_cache(maxsize=65536)
def _rated(word: str) -> str:
    """The form of `word` VADER rates (itself, or its stem: "lacks" -> "lack"), or ""."""
    rated = lexicon.analyzer().lexicon
    if word in rated:
        return word
    if word in lexicon.SUBJECT_WORDS:
        return ""  # "cleaning" is a service, not "clean"
    for suffix, replacement in _INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            if stem in rated:
                return stem
    american = _american(word)
    return _rated(american) if american != word else ""


def _american(word: str) -> str:
    """A British spelling as VADER's American lexicon lists it ("disorganised" -> "disorganized",
    "colourful" -> "colorful", "analyse" -> "analyze")."""
    for british, american in _SPELLINGS:
        word = british.sub(american, word)
    return word


def label(value: float) -> Label:
    if value >= OPINION:
        return "positive"
    if value <= -OPINION:
        return "negative"
    return "neutral"


def judge(passages: Sequence[str], framing: Framing = None, passed_over: bool = False) -> tuple[float, Label]:
    """Score and label of a brand from its passages (brand names already masked out, so that a name
    like "Trust Bank" or "Bright Spark" is not read as praise). `framing`: the answer presents the
    brand among options it introduces as the best ones ("best") or as ones to avoid ("warned").
    `passed_over`: the passages pick another brand over this one ("I'd choose Y over X", "I'd book Y
    instead"), a conclusion against it as a warning is."""
    scored: list[tuple[str, float]] = []
    weighed: list[tuple[float, float]] = []
    for passage in passages:
        # a "However" turns the sentence before it in the answer: within a passage (mentions join a
        # brand's passages that follow one another in the answer)
        mine = _listed_caveats([_reported(*_weighed(statement)) for statement in _statements(passage)])
        scored += mine
        weighed += _turned(mine)
    opinions = [(s, w) for s, w in weighed if abs(s) >= OPINION]
    text = " ".join(passages)
    negative = any(s < 0 for s, _ in opinions)
    # Among the best options, a caveat the answer calls minor leaves the praise standing; any other
    # caveat leaves the passage to its own tone (docs/definitions.md, Sentiment).
    caveats = [(s, w) for s, w in opinions if s < 0]
    # a faint limit stated in passing, not pointed out as a caveat ("but", "its weak spot"), is minor too
    faint_only = all(s > -FAINT_CAVEAT for s, _ in caveats) and not NAMED_CAVEAT.search(text)
    minor_only = (
        faint_only
        or (all(w < 1 for _, w in caveats) and MINOR_CAVEAT.search(text) is not None)
        # or every caveat is of price or convenience only ("it costs $90 more for the same return")
        or all(_minor(st) for (st, _), (s, _) in zip(scored, weighed, strict=True) if s <= -OPINION)
    )
    recommended = RECOMMENDED.search(text) is not None
    guarded = VERIFIED_FIRST.search(text) is not None and negative and not minor_only
    if framing == "warned" or passed_over or guarded or WARNED.search(text):
        value = min([-0.5, *(s for s, _ in opinions)])
    elif not negative and (recommended or (framing == "best" and not CAVEAT.search(text))):
        value = max([0.5, *(s for s, _ in opinions)])
    elif negative and (recommended or (framing == "best" and minor_only)):
        # Recommended, or among the best options, with caveats: the recommendation is praise
        # weighed against them, so a minor caveat leaves it positive and heavier ones outweigh it.
        opinions.append((ENDORSED, 1.0))
        value = sum(s * w for s, w in opinions) / sum(w for _, w in opinions)
    elif not opinions:
        value = 0.0
    else:
        value = sum(s * w for s, w in opinions) / sum(w for _, w in opinions)
    value = round(value, 3)
    return value, label(value)


def _turned(scored: list[tuple[str, float]]) -> list[tuple[float, float]]:
    """Each statement's score with its weight: VADER's "but" rule across sentences, so a statement
    opening with "However" counts 1.5 and the one it turns on 0.5, unless the answer calls what it
    turns to minor ("However, the only downside is ..."): that weighs half. A turn after praise opens a
    caveat, whatever words it is told in ("Clean interface. However, an audit found its extension
    filling saved logins on look-alike sites"): it weighs at least as a lack after "but" does."""
    weights = [0.5 if MINOR_CAVEAT.search(statement) else 1.0 for statement, _ in scored]
    values = [value for _, value in scored]
    for i, (statement, _) in enumerate(scored):
        # a turn to a caveat the answer calls minor ("However, the only downside is ...") keeps it minor
        if i and OPENS_WITH_TURN.match(statement) and not MINOR_CAVEAT.search(statement):
            weights[i], weights[i - 1] = 1.5, 0.5
            before = scored[i - 1][0]
            mismatch = _mismatch(f"{before} {statement}", len(before))
            if values[i - 1] >= OPINION and abs(values[i]) < OPINION and mismatch:
                # faint praise, then a turn to a mismatch with what was asked ("A capable practice. It
                # is set up for adults, though, rather than the children's care you asked about"):
                # they balance, as they do within a sentence
                values[i - 1] = values[i] = 0.0
                continue
            if values[i - 1] >= OPINION and values[i] < CLEAR_PRAISE:  # clear praise after a turn is praise
                values[i] = min(values[i], -LACK_WEIGHT)
    return list(zip(values, weights, strict=True))


def _reported(statement: str, value: float) -> tuple[str, float]:
    """A report of what others went through that tells of trouble (a word rated negative, or a core
    matter: a defect, a failure, a billing or safety problem) is a complaint unless it praises
    clearly, whatever stray praise word it holds: it weighs at least as a lack after "but" does; so is
    one of something missing ("parents found the tutor had no literacy training"). A
    report with no sign of trouble ("homeowners report it finished a day early") is read as it is."""
    reported = REPORTED.search(statement)
    if reported is None or value >= ENDORSED or NO_REPORT.search(statement, 0, reported.start()):
        return statement, value
    # trouble outside the reporting verb ("were billed" is no trouble of itself) and not denied
    # ("found no hidden fees", "never missing"): a topic alone ("the billing page") is none; a lack,
    # unless it is of trouble ("report no issues")
    core = any(
        not DENIED.search(statement, 0, m.start()) and not reported.start() <= m.start() < reported.end()
        for matter in (TROUBLE, MISHAP)
        for m in matter.finditer(statement)
    )
    # something they went without ("no longer syncs", "left without power")
    lack = value < OPINION and SAYS_NOT.search(statement) and not NO_TROUBLE.search(statement)
    if value < 0 or core or lack:
        return statement, min(value, -LACK_WEIGHT)
    return statement, value


def _listed_caveats(scored: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The items a line ending "but:" or a "Cons:" line introduces, or a "Cons: ..." line names, are
    caveats by the answer's own structure, whatever words they use ("- refunds took two months"):
    each that is not clear praise weighs at least as a lack after "but" does."""
    out, listed = [], False
    for statement, value in scored:
        caveat = listed or NAMES_CAVEATS.match(statement) is not None
        out.append((statement, min(value, -LACK_WEIGHT) if caveat and value < CLEAR_PRAISE else value))
        listed = listed or INTRODUCES_CAVEATS.search(statement) is not None
    return out


def _weighed(statement: str) -> tuple[str, float]:
    """A statement with its score, where "but" turns it: what follows "but" is the point (VADER
    weighs it so). After praise: a caveat of price or convenience only is minor and the praise
    stands; mild praise and a mismatch with what was asked balance; a lack is the point; clear
    praise turned by a mismatch ("but it is built for agencies") reads as that mismatch; any other
    caveat the lexicon cannot rate weighs as a lack does against the praise. After criticism, an
    unrated merit turns it."""
    whole = score(statement)
    text = as_but(review_words.join_phrases(statement))
    turn = BUT.search(text)
    if turn is None:
        return statement, whole
    if not text[: turn.start()].strip(" ,;:-"):
        return statement, whole  # "but" opens it: the turn is on what came before (`_turned`)
    caveat = text[turn.end() :]
    before, after = score(text[: turn.start()]), score(caveat)
    lack = LACK.match(text, turn.end()) is not None
    if not lack and before >= CLEAR_PRAISE and after < OPINION and (_minor(caveat) or _slight(caveat, after)):
        # clear praise, then "but" and a caveat of price or convenience only, one the answer softens
        # ("a bit clunky"), or a tip to the reader ("but book ahead"): a minor caveat, the praise
        # stands ("great, but expensive", "wonderful, but they sell out by 10 am": docs/definitions.md,
        # Caveats against praise)
        return statement, round((before + 0.5 * after) / 1.5, 3)
    if not lack and before > 0 and -OPINION < after < CLEAR_PRAISE and _mismatch(text, turn.start(), turn.end()):
        # praise short of clear praise and a mismatch with what was asked, told as such ("a capable
        # lender, but it concentrates on jumbo loans rather than the USDA loans you asked about")
        # balance; clear praise turned by a mismatch is still turned
        return statement, 0.0
    if lack and before > -OPINION and after < CLEAR_PRAISE:
        # praise or a fact, then "but" and what it lacks ("easy to set up, but it has no payroll and
        # ..."; "cheaper, but no mentoring"; "but not included"): the lack is the point, at least
        # as heavy as VADER's "no" on its own would make it
        return statement, min(whole, -max(before, LACK_WEIGHT))
    if whole != 0.0 and abs(after) < OPINION and abs(before) >= OPINION and text[turn.end() :].strip():
        if not lack and OPINION <= abs(before) < CLEAR_PRAISE:
            # faint praise and a mismatch balance, no verdict either way ("a decent bed, but it is
            # made for back sleepers": docs/definitions.md, Caveats against praise), and so do a
            # faint caveat and a merit ("costs more than Chase but has more branches": Role)
            return statement, 0.0
        # a caveat (or praise) the lexicon cannot rate after "but" turns what came before it; a
        # lack after criticism ("complaints ..., but not available") adds to it
        if lack:
            return statement, -abs(before)
        # praise, then "but" and a caveat the lexicon cannot rate: the caveat weighs as a lack after
        # "but" does, VADER's 1.5 against the praise's 0.5 ("easy to use, but PDF export flattens pen
        # layers" is a caveat, not praise's opposite); criticism, then an unrated merit, turns
        if before <= 0 or MISMATCH.search(text, turn.end()):
            return statement, -before  # criticism, then an unrated merit; or clear praise, then a mismatch
        return statement, round((0.5 * before - 1.5 * LACK_WEIGHT) / 2, 3)
    return statement, whole


def _mismatch(text: str, turn: int, after: int | None = None) -> bool:
    """What follows the turn tells a mismatch, and the praise before it is not clear praise (no word
    rated STRONG or higher)."""
    strongest = max((_valence(w.lower()) for w in WORD.findall(text[:turn])), default=0.0)
    return MISMATCH.search(text, turn if after is None else after) is not None and strongest < STRONG


def _slight(caveat: str, value: float) -> bool:
    """A caveat after praise that is a tip to the reader ("but ask for a written plan before you
    start", "but note that the pool closes at 8 pm"), or one the answer softens that names nothing
    core ("but its website is a bit clunky"): minor (docs/definitions.md, Caveats against praise).
    (An unrated caveat on its own is not: "but PDF export flattens pen layers" weighs as a lack.)"""
    if TIP.match(caveat):
        return True
    if _core(caveat) or MISMATCH.search(caveat):
        return False  # a mismatch with what was asked is weighed as one (`_weighed`)
    return SOFTENED.search(caveat) is not None


def _core(caveat: str) -> bool:
    """Whether a caveat names a core matter or a mishap, or says something is not so."""
    return any(m.search(caveat) for m in (CORE_MATTER, MISHAP, SAYS_NOT))


def _minor(caveat: str) -> bool:
    """A caveat that touches only price or convenience: it names one, nothing core, and says nothing
    else against the brand ("is expensive for small teams", not "has a steep learning curve and is
    expensive")."""
    if not MINOR_MATTER.search(caveat) or CORE_MATTER.search(caveat) or NEGATION.search(caveat):
        return False  # "doesn't always show up for appointments" is a failure, not an inconvenience
    return score(MINOR_MATTER.sub(" ", caveat)) > -OPINION


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
    return [f for f in found if f and not SPEC_LINE.match(f)]


def _cells(row: str) -> list[str]:
    return [plain(cell) for cell in row.strip().strip("|").split("|")]
