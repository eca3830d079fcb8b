"""Review language VADER does not rate: how people judge a product or a service.

VADER's lexicon was built from social-media text, so it rates feelings ("great", "awful") but not
much of the vocabulary of product and service reviews: "expensive", "clunky", "reliable",
"intuitive", "hidden fees", "a steep learning curve". These are general review words, chosen from
what any review of a product, a shop or a provider says, not from any labelled answer.

Valences are on VADER's own scale (-4 to +4, the mean of its raters' scores) and set by analogy
with words it already rates: a mild judgement about 1 ("costly" is -0.4, "solid" 0.6, "flexible"
0.9), a clear one about 1.5 to 2 ("confusing" -0.9, "efficient" 1.8, "frustrating" -1.9), a strong
one 2.5 ("scam" -2.7, "excellent" 2.7). A higher price is a mild caveat, as VADER rates "costly":
"pricier" -0.4 and "expensive" -0.6, so "reliable but pricier" stays praise with a minor caveat
(VADER weighs what follows "but" 1.5 and what precedes it 0.5), while "overpriced" (a price not
worth paying) is a clear judgement. Words that also name a plain fact in
business answers are left out: "cheap" (a price or a quality), "premium" and "budget" (plan tiers),
"late" ("late fees"), "prompt" (an AI prompt), "dated" ("dated March 3"), "professional"
("professional services"), "quick" ("a quick comparison").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ai_visibility.extraction import review_phrases

# Single words, as VADER tokenises them (hyphenated compounds are one token).
WORDS: dict[str, float] = {
    # price and value
    "affordable": 1.5,
    "inexpensive": 1.2,
    "expensive": -0.6,
    "pricey": -0.6,
    "pricy": -0.6,
    "pricier": -0.4,
    "costlier": -0.4,
    "overpriced": -2.0,
    "overcharge": -1.8,
    "overcharged": -2.0,
    "upsell": -1.2,
    "upselling": -1.4,
    "predatory": -2.5,
    # quality and reliability
    "flaky": -1.6,
    "reliable": 1.9,
    "dependable": 1.8,
    "durable": 1.5,
    "sturdy": 1.3,
    "unreliable": -2.0,
    "flimsy": -1.7,
    "buggy": -1.9,
    "glitchy": -1.8,
    "laggy": -1.6,
    "outage": -1.6,
    "outages": -1.6,
    "downtime": -1.3,
    "mediocre": -1.6,
    "lackluster": -1.6,
    "subpar": -1.9,
    "sloppy": -1.8,
    "inconsistent": -1.3,
    "inaccurate": -1.6,
    "inefficient": -1.5,
    "stellar": 2.5,
    "exceptional": 2.6,
    "hit-or-miss": -1.2,
    "top-notch": 2.5,
    "standout": 2.0,
    "accurate": 1.3,
    # ease of use
    "intuitive": 1.7,
    "user-friendly": 1.8,
    "easy-to-use": 1.9,
    "seamless": 1.6,
    "smooth": 1.3,
    "customizable": 0.8,
    "polished": 1.5,
    "streamlined": 1.3,
    "versatile": 1.4,
    "convenient": 1.5,
    "hassle-free": 1.6,
    "clunky": -1.6,
    # done wrong: "filled prescriptions incorrectly" (VADER rates "wrong" only)
    "incorrect": -1.5,
    "incorrectly": -1.5,
    "wrongly": -1.5,
    "unintuitive": -1.6,
    "cumbersome": -1.4,
    "fiddly": -1.2,
    "complicated": -1.0,
    "convoluted": -1.5,
    "bloated": -1.4,
    "outdated": -1.4,
    "hassle": -1.3,
    "headache": -1.5,
    "nightmare": -2.5,
    # a caveat named as one, as VADER rates "downside" (-1.0)
    "drawback": -1.0,
    "drawbacks": -1.0,
    "shortcoming": -1.0,
    "shortcomings": -1.0,
    "gripe": -1.0,
    "gripes": -1.0,
    # more than it need be: an adverb of excess makes what it modifies a fault ("needlessly complex")
    "needlessly": -1.0,
    "unnecessarily": -1.0,
    "overly": -0.8,
    "excessively": -1.0,
    # speed and responsiveness
    "fast": 1.2,
    "speedy": 1.3,
    "slow": -1.2,
    "unresponsive": -1.8,
    "unanswered": -1.2,
    "overbooked": -1.2,
    "understaffed": -1.5,
    "backlog": -1.0,
    "backlogged": -1.2,
    # people and trust
    "knowledgeable": 1.7,
    "skilled": 1.5,
    "punctual": 1.5,
    "attentive": 1.6,
    "thorough": 1.4,
    "reputable": 1.7,
    "transparent": 1.3,
    "unhelpful": -1.8,
    # out of reach, as VADER rates "difficult" (-1.5): "getting a human on the phone is impossible"
    "impossible": -1.5,
    "inappropriate": -1.8,
    # places and food, as reviews of shops, rooms and meals judge them
    "spacious": 1.4,
    "cozy": 1.4,
    "tasty": 1.8,
    "luxurious": 1.6,
    "immaculate": 2.0,
    "spotless": 1.8,
    "filthy": -2.4,
    "stale": -1.4,
    "soggy": -1.4,
    "bland": -1.3,
    "greasy": -1.2,
    "mildew": -1.3,
    # a sanction imposed on a business, as VADER rates "penalty" (-2.0); "fined" is not "fine"
    "fined": -1.5,
    "sanctioned": -1.5,
    "penalized": -1.5,
    "penalised": -1.5,
    # what others say
    "rave": 2.0,
    "raves": 2.0,
    "award-winning": 2.0,
    "go-to": 1.5,
    "experienced": 1.2,
    "rip-off": -2.5,
    "ripoff": -2.5,
    "well-reviewed": 1.8,
    "well-regarded": 1.8,
    "well-rated": 1.8,
    "highly-rated": 2.0,
    "top-rated": 2.0,
    "well-organized": 1.5,
    "well-designed": 1.8,
    "well-documented": 1.5,
}

# Phrases whose words VADER rates apart, or not at all, but which a reader takes as one judgement;
# each is read as one token (its words joined by hyphens) with this valence.
PHRASES: dict[str, float] = {
    "hidden fees": -2.0,
    "hidden charges": -2.0,
    "hidden costs": -2.0,
    "surprise billing": -1.8,
    "surprise bills": -1.8,
    "surprise charges": -1.8,
    "billing errors": -1.6,
    "charged twice": -1.6,
    "billed twice": -1.6,
    "double-charged": -1.6,
    "double-billed": -1.6,
    "steep learning curve": -1.3,
    "learning curve is steep": -1.3,
    "long wait times": -1.3,
    "long waits": -1.3,
    "long hold times": -1.5,
    "hard to reach": -1.3,
    "difficult to reach": -1.3,
    "falls short": -1.5,
    "fall short": -1.5,
    "out of date": -1.4,
    # equipment a customer paid to use, not working (a repair firm's object stays its subject: not_opinions)
    "out of order": -1.3,
    "bait and switch": -2.5,
    "rough edges": -1.0,
    "cut corners": -1.5,
    "cuts corners": -1.5,
    "cutting corners": -1.5,
    "mixed reviews": -0.8,
    "mixed feedback": -0.8,
    "hit or miss": -1.2,
    # customers refused what they paid for, as VADER rates "refused" (-1.2) and "rejected" (-2.3)
    "turned away": -1.5,
    "turned down": -1.5,
    "locked out": -1.5,
    # a kind of business named by words VADER rates ("escape" 0.7): the subject, as "urgent care" is
    "escape room": 0.0,
    "escape rooms": 0.0,
    "escape game": 0.0,
    "escape games": 0.0,
    # a cap, not "tops" (VADER 2.3): "the basic plan tops out at two users" states a limit
    "tops out": 0.0,
    "topped out": 0.0,
    "maxes out": 0.0,
    # idioms of standing first: "hard to beat" is no hardship and no beating
    "hard to beat": 2.0,
    "tough to beat": 2.0,
    "difficult to beat": 2.0,
    "can't be beat": 2.0,
    "can't be beaten": 2.0,
    "reasonably priced": 1.3,
    "fairly priced": 1.3,
    "upfront pricing": 1.2,
    "highly rated": 2.0,
    "well organized": 1.5,
    "well reviewed": 1.8,
    "well regarded": 1.8,
    "easy to use": 1.9,
    "value for money": 1.4,
}

# With the review-phrase lexicon's (`review_phrases`; ours win where both list one), longest first so
# that "no hidden fees" is read before "hidden fees" and "not worth it" before "worth it".
ALL_PHRASES: dict[str, float] = {**review_phrases.phrases(), **PHRASES}

_Trie = dict[str, "_Trie"]


def _trie_pattern(phrases: list[str]) -> str:
    """One regex for many phrases, factored by shared prefixes (a thousand plain alternatives are
    tried one by one at every position; a trie is tried once). Longer phrases win: each branch is
    greedy and the word-boundary check after the whole phrase backtracks into a shorter one."""
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: _Trie) -> str:
        ends = "" in node
        branches = [(r"\s+" if c == " " else re.escape(c)) + pattern(n) for c, n in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return pattern(trie)


PHRASE = re.compile(r"(?<![\w-])" + _trie_pattern(list(ALL_PHRASES)) + r"(?![\w-])", re.I)

# What a customer pays. Rates and interest are left out: a high rate is bad on a loan and good on
# savings, so a rate's level is no judgement without knowing which side the reader is on.
COST = (
    r"(?:fees?|prices?|pricing|costs?|premiums?|deductibles?|commissions?|markups?|surcharges?|charges|bills?|billing"
    r"|copays?)"
)
# The level of a price judged: a low price reads as "inexpensive" (1.2), a high one as "expensive"
# (-0.6), a price rise a little worse (-1.0), one that comes as a surprise as "surprise charges".
# Each is read as one token, with a word or two between its parts ("low monthly fees").
PRICE_LEVELS: dict[str, tuple[str, float]] = {
    "surprise-cost": (
        rf"\bsurprise\s+(?:[a-z-]+\s+){{0,2}}?(?:(?:price|fee|premium)\s+(?:increases?|hikes?|rises?)|{COST}|increases|hikes)"
        r"(?![\w-])",
        -1.8,
    ),
    # a price compared ("costs more per month than Y") is judged as "pricier"
    "costs-more": (
        r"\b(?:costs?|costing|charges?|charging)\s+(?:a (?:bit|little|lot)\s+|much\s+|far\s+|\w+ly\s+)?more\b"
        # or as a multiple: "costs nearly double", "charges twice as much"
        r"|\b(?:costs?|costing|charges?|charging)\s+(?:nearly\s+|almost\s+|about\s+|roughly\s+|over\s+)?"
        r"(?:double|twice|triple|three times)\b"
        # or the price named: "twice Midas's price", "double the fee" (the other brand masked out)
        rf"|\b(?:double|twice|triple|three times)\s+(?:the\s+|that\s+|[\w.-]*\s*['’]s\s+)?(?:[\w-]+\s+)?{COST}(?![\w-])"
        # "costs $420, twice what X charges"; by the amount: "charges $1,960, $310 more than the centre
        # next door" (a price named first: "$100 more than most banks offer" as a bonus is no price)
        r"|\b(?:costs?|charges?|charging|priced)\b[^.;]{0,40}?\b(?:double|twice|triple|three times)\s+what\b"
        r"|\b(?:costs?|charges?|charging|priced)\b[^.;]{0,60}?\$[\d,.]+\s+(?:(?:a|per)\s+\w+\s+)?more\s+than\b"
        # or by a share or a sum of money: "cost about 25% more than", "runs a few dollars more per bag
        # than Y" (a price's verb first: "pays 0.5% more than" is a rate)
        r"|\b(?:costs?|costing|charges?|charging|priced|runs?)\b[^.;]{0,40}?"
        r"(?:\d+(?:\.\d+)?\s?%|\b(?:a few|several|\d+|a couple of)\s+(?:dollars|pounds|euros|bucks))\s+more"
        r"\s+(?:(?:a|per)\s+\w+\s+)?than\b",
        -0.4,
    ),
    "price-rise": (
        r"\b(?:price|fee|premium)\s+(?:increases?|hikes?|rises?)(?![\w-])"
        # a rise told as an event: "premiums jumped 30% at renewal", "fees have gone up twice"
        rf"|\b{COST}\s+(?:have\s+|has\s+|had\s+)?(?:jumped|rose|risen|increased|went up|gone up|spiked|doubled"
        r"|tripled|climbed|soared|shot up)(?![\w-])"
        # or done to the customer: "raised my premium 40%", "hiked its fees"
        r"|\b(?:raised|raises|raising|hiked|hikes|hiking|increased|increases|jacked up|bumped up)\s+"
        rf"(?:(?:my|our|the|its|their|your|his|her)\s+)?(?:[a-z-]+\s+)?{COST}(?![\w-])",
        -1.0,
    ),
    "low-priced": (rf"\b(?:low|lower|lowest|reduced|modest)\s+(?:[a-z-]+\s+){{0,2}}?{COST}(?![\w-])", 1.2),
    "high-priced": (rf"\b(?:high|higher|highest|steep|steeper|hefty)\s+(?:[a-z-]+\s+){{0,2}}?{COST}(?![\w-])", -0.6),
}

# Delays stated as facts: VADER rates "delay" (-1.3) and "delayed" (-0.9) but not a delay described
# ("showed up two hours late", "repairs taking weeks"). "late" alone is left out ("late fees", "open late",
# "late-night", "the shuttle runs late"): only the service's own lateness counts, measured or after a
# verb of arriving, and a wait of weeks or months told as a wait ("repairs take weeks", "took over two
# months"), not a lead time quoted ("custom orders take four to six weeks" is a fact).
_SPAN = r"(?:minutes?|hours?|days?|weeks?|months?)"
_COUNT = r"(?:a|an|one|two|three|four|five|six|several|a few|many|\d+)"
DELAYS: dict[str, tuple[str, float]] = {
    "delivered-late": (
        rf"\b(?:(?:{_COUNT}\s+)?{_SPAN}|(?:arriv|deliver|ship)(?:e|es|ed|ing|ered|ering|s)?|show(?:s|ed|ing)? up"
        r"|turn(?:s|ed|ing)? up|c[ao]me|comes|coming)\s+(?:very\s+|often\s+|always\s+)?late\b"
        # past the time promised: "jobs run days past the promised date", "weeks behind schedule"
        rf"|\b{_SPAN}\s+(?:past|behind|beyond|after)\s+(?:the\s+|their\s+|its\s+)?"
        r"(?:promised|quoted|agreed|scheduled|estimated|due|schedule|deadline)\b",
        -1.3,
    ),
    # a wait compared, as a price is ("wait times are noticeably longer than at Y")
    "waits-longer": (
        r"\bwait(?:s|ing)?(?:\s+times?)?\b[^.;:!?]{0,40}?\b(?:are|is|were|was|run|runs|tend to be)\s+"
        r"(?:\w+ly\s+|much\s+|far\s+|a (?:bit|lot)\s+)?longer\b",
        -1.0,
    ),
    "weeks-long-wait": (
        # a wait told in the past is what customers went through, whatever its length ("refunds have
        # taken up to three months"); one quoted in the present is a lead time unless told as a wait
        r"\b(?:took|(?:has|have|had)\s+taken)\s+(?:up to\s+|over\s+|more than\s+|nearly\s+|almost\s+)?"
        r"(?:(?:a|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|a few|\d+)\s+)?(?:weeks?|months?)\b"
        r"|\b(?:tak(?:e|es|ing)|wait(?:s|ed|ing)?(?:\s+for)?)\s+"
        r"(?:(?:over|more than|nearly|almost)\s+(?:two|three|four|five|six|\d+)\s+|several\s+|many\s+)?"
        r"(?:weeks|months)\b",
        -1.0,
    ),
}
# What was owed to a customer and not done: "never replied", "didn't show up", "still hasn't
# refunded". VADER does not rate these verbs, so its negation of them reads nothing; a service
# failing is criticism (docs/definitions.md). Only verbs of doing what was owed: "never charged a
# fee" is no failure.
_OWED = (
    r"(?:repl(?:y|ied)|respond(?:ed)?|answer(?:ed)?|arriv(?:e|ed)|c[ao]me|show(?:ed)?(?: up)?|turn(?:ed)? up"
    r"|return(?:ed)? (?:calls?|emails?|messages?|my|our|the)|call(?:ed)? back|get back|got back|refund(?:ed)?"
    r"|deliver(?:ed)?|fix(?:ed)?|finish(?:ed)?|follow(?:ed)? up|call(?:ed)?|install(?:ed)?)"
)
DELAYS["owed-not-done"] = (
    rf"\b(?:never|didn['’]t|did not|still hasn['’]t|still haven['’]t|has yet to|have yet to)\s+{_OWED}\b"
    # and in the passive, told as what happened ("claims were never paid", "deposits not being
    # returned"), not as a policy ("items not returned within 30 days are billed")
    r"|\b(?:never\s+(?:been\s+|being\s+|got\s+|gets\s+)?|not\s+(?:being|been)\s+)"
    r"(?:returned|refunded|paid(?:\s+out)?|honou?red|processed|resolved)\b",
    -1.5,
)
# Customers shut out of what is theirs: "froze their accounts", "suspended my account".
DELAYS["accounts-frozen"] = (
    r"\b(?:froze|freezes|freezing|frozen|locked|locks|locking|suspended|suspends|closed|closes)\s+"
    r"(?:my|our|their|your|his|her|customers['’]?|members['’]?|users['’]?)\s+(?:[a-z-]+\s+)?accounts?\b",
    -2.0,
)
# Charged beyond what was agreed: "the bill came in higher than quoted", "more than the estimate".
DELAYS["over-quote"] = (
    r"\b(?:higher|more|over)\s+than\s+(?:the\s+|their\s+|its\s+|was\s+)?"
    r"(?:quoted|quote|estimate|estimated|promised|advertised|agreed)\b",
    -1.5,
)

# Words after which an adjective is predicated ("staff are patient", "very patient"); each is its own
# look-behind, as Python's must be of fixed width.
_LINKING = (
    *("is", "are", "was", "were", "be", "been", "always", "incredibly", "remarkably", "genuinely"),
    *("unusually", "really", "extremely", "very", "so"),
)
# The level of an outcome rate judged by whose good it is: a high pass, success or satisfaction rate
# is praise and a low one criticism; a high complaint, failure or error rate the reverse. Reviews
# that rate a business one or two stars are criticism, as "complaints" are; a star rating given as
# a figure ("4.8 stars", "a 5-star hotel") stays a fact (docs/definitions.md, Ratings are facts).
# a qualifier or two may stand between: "a high first-time pass rate"
_BETWEEN = r"(?:[\w-]+\s+){0,2}?"
_GOOD_RATE = r"(?:pass|success|approval|satisfaction|acceptance|completion|retention|on-time|first-time fix)"
_BAD_RATE = r"(?:complaint|failure|error|cancellation|denial|claim denial|churn|breakage|return)"
_RATE = r"[- ](?:rates?|ratios?|percentages?)\b"
_HIGH = r"\b(?:high|higher|highest|strong|excellent|great|impressive|very high)\s+"
_LOW = r"\b(?:low|lower|lowest|poor|weak|dismal|very low)\s+"
OUTCOME_LEVELS: dict[str, tuple[str, float]] = {
    "good-outcome-rate": (rf"{_HIGH}{_BETWEEN}{_GOOD_RATE}{_RATE}|{_LOW}{_BETWEEN}{_BAD_RATE}{_RATE}", 1.5),
    "bad-outcome-rate": (rf"{_LOW}{_BETWEEN}{_GOOD_RATE}{_RATE}|{_HIGH}{_BETWEEN}{_BAD_RATE}{_RATE}", -1.5),
    # "patient" the adjective, after a linking verb or a degree word, praises a way with customers;
    # the noun ("new patients", "the patient portal") names who a practice serves
    "patient-manner": (
        # (the look-ahead first, so that the look-behinds are tried only where "patient" stands)
        "(?=patient)(?:"
        + "|".join(rf"(?<=\b{w} )" for w in _LINKING)
        + r")patient(?![\w-])(?!\s+(?:portal|care|records?|forms?|visits?))",
        1.5,
    ),
    "low-star-reviews": (r"\b(?:one|1|two|2)[- ]star\s+(?:reviews?|ratings?)\b", -1.5),
}

# How a place or a thing comes across, told by a verb of seeming: "dated", "worn" and "cheap" are
# facts of a date, a use or a price elsewhere ("dated March 3"), a judgement after "feels" or "looks"
# ("the rooms feel dated", "the fittings look cheap"), as VADER rates "shabby".
LOOKS: dict[str, tuple[str, float]] = {
    "looks-worn": (
        r"\b(?:feel|feels|felt|look|looks|looked|seem|seems|seemed)\s+"
        r"(?:a\s+(?:bit|little)\s+|rather\s+|somewhat\s+|quite\s+|very\s+|pretty\s+|increasingly\s+)?"
        # ("cheap for an e-bike with this range" is a price)
        r"(?:dated|tired|worn|shabby|old-fashioned|cheap(?!\s+for\b)|cramped|run-?down|neglected)\b",
        -1.2,
    ),
}
# A product failing at what it is for, told as a plain fact: "the flap does not close properly",
# "the app doesn't sync reliably" (not a condition: "if it doesn't fit properly, they swap it").
DELAYS["fails-to-work"] = (
    r"(?<!\bif it )(?<!\bif they )(?<!\bwhen it )\b(?:does|do|did|will|would)(?:\s+not|n['’]t)\s+(?:\w+\s+)?"
    r"(?:work|close|fit|seal|sync|charge|lock|latch|connect|load|open|start|stay)\s+"
    r"(?:properly|correctly|reliably|consistently)\b",
    -1.5,
)
# A customer's right to cancel is a term of the contract ("cancel anytime", "free to cancel"), not
# VADER's "cancel" (-1.0), which stays for a business cancelling on its customers ("instructors
# often cancel at short notice").
TERMS: dict[str, tuple[str, float]] = {
    "cancel-term": (
        r"(?<=\bto )cancel\b|\bcancel(?=\s+(?:online|anytime|any time|at any time|for free|free of charge|without))",
        0.0,
    ),
    # taking up a plan or a contract is a step, not VADER's "commit" (1.2): "before you commit to a contract"
    "commit-to": (r"\bcommit(?=\s+to\s+(?:a|an|the|your|their|its|any)\b)", 0.0),
    # what was agreed is a term ("at the agreed time", "the agreed price"), not VADER's "agreed" (1.1)
    "agreed-term": (r"(?<=\bthe )agreed\b", 0.0),
    # "active" of a licence, a permit or an account is its status ("an active locksmith licence"), not
    # VADER's "active" (1.7), a trait
    # ("the license is active through 2027", "Account status: Active"), and of the customers a
    # business serves ("classes for active seniors", "2 million active users")
    "active-status": (
        r"\bactive(?=\s+(?:[\w-]+\s+)?(?:licen[cs]es?|permits?|registrations?|status|memberships?|subscriptions?"
        r"|accounts?|listings?|certifications?|policies|policy)\b)"
        r"|\b(?:licen[cs]e|permit|registration|status|membership|subscription|account|listing|certification"
        r"|policy)s?\s*(?::|is|are|was|remains|stays)\s+active\b"
        r"|\bactive(?=\s+(?:seniors|adults|older adults|families|kids|children|teens|people|users|members"
        r"|lifestyles?)\b)",
        0.0,
    ),
    # "ready" when an order, a room or a place will be: a time of availability ("ready to ship in 3
    # days", "ready for pickup the same day", "one spot ready from October 1"), not a way with
    # customers ("always ready to help"); not ready when promised is a failure ("not ready at the agreed time")
    "ready-when": (
        r"(?<!\bnot )(?<!\bnever )(?<!n['’]t )(?<!\bnot being )(?<!\bnot yet )"
        r"\bready(?=\s+(?:to\s+(?:ship|install|collect|pick\s+up|move\s+in)\b|for\s+(?:pick-?up|collection"
        r"|delivery|dispatch|installation)\b|(?:the\s+)?(?:same|next|following)[- ](?:day|morning|afternoon|evening)\b"
        r"|(?:with)?in\s|by\s|after\s|earlier\b|sooner\b|when\s+you\s+(?:arrive|get|come|pick)\b"
        r"|from\s|on\s|at\s|\d|(?:[\w-]+\s+)?(?:minutes?|hours?|days?|weeks?)\b))",
        0.0,
    ),
}


# Every patterned entry in one pattern, each a named group, so that a statement is read in one pass.
LEVELS: dict[str, tuple[str, float]] = {**PRICE_LEVELS, **DELAYS, **OUTCOME_LEVELS, **LOOKS, **TERMS}
LEVEL_TOKENS = {f"g{i}": token for i, token in enumerate(LEVELS)}
# Every entry starts a word: saying so first lets the engine pass over the middle of words without
# trying each entry there (it read a long answer in a third of the time).
LEVEL = re.compile(
    r"(?<!\w)(?=\w)(?:" + "|".join(f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(LEVELS.values())) + ")",
    re.I,
)


def lexicon() -> dict[str, float]:
    """Every entry to merge into VADER's lexicon, phrases and price levels as their joined token."""
    levels = LEVELS
    entries = {
        **review_phrases.words(),
        **{joined(p): v for p, v in ALL_PHRASES.items()},
        **WORDS,
        **{joined(p): v for p, v in PHRASES.items()},
        **{t: v for t, (_, v) in levels.items()},
    }
    # a neutral entry is read as its one unrated token: joining its words is what keeps them unread
    return {token: v for token, v in entries.items() if v != 0}


def joined(phrase: str) -> str:
    return "-".join(phrase.lower().split())


@lru_cache(maxsize=8192)
def join_phrases(text: str) -> str:
    """`text` with each review phrase written as its one token ("hidden fees" -> "hidden-fees"), and
    each judged price level as its token ("surprise renewal fees" -> "surprise-cost"). (Remembered:
    the judge and its scores read most statements twice.)"""
    text = PHRASE.sub(lambda m: joined(m.group(0)), text)
    return LEVEL.sub(lambda m: LEVEL_TOKENS[m.lastgroup or ""], text)
