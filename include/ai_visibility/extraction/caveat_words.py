"""The words a caveat is told in, defined once for every reading of it (`sentiment`): the words that
say something is not so, what a caveat is about (price and convenience, which are minor, or trouble
and the core matters, which are not), the nouns an answer names a caveat by, and how it softens one
or turns it into a tip or a mismatch with what was asked (docs/definitions.md, Caveats against
praise)."""

from __future__ import annotations

import re

# Negation: the words that say something is not so, and the contracted "n't".
NOT_WORDS = r"not|never|no"
CONTRACTED_NOT = r"n['’]t"
# A negated caveat reports a failure ("doesn't show up for appointments"), never an inconvenience.
NEGATION = re.compile(rf"\b(?:{NOT_WORDS})\b|{CONTRACTED_NOT}\b", re.I)
# Something said not to be so, or gone without ("no longer syncs", "left without power").
SAYS_NOT = re.compile(rf"\b(?:{NOT_WORDS}|without)\b|{CONTRACTED_NOT}\b", re.I)
# What follows "but" is a lack: "but not included", "but it doesn't cover X", "but lacks X".
LACK = re.compile(rf"\s*(?:\w+\s+){{0,3}}?(?:{NOT_WORDS}|{CONTRACTED_NOT}|lacks?|lacking|without)\b", re.I)

# What a minor caveat touches (docs/definitions.md: price, convenience).
# (whole words only: a joined review phrase, "hidden-fees", is not split)
MINOR_MATTER = re.compile(
    r"(?<![\w-])(?:costs?|costing|pric(?:e|es|ey|ier|iest)|expensive|costlier|premium|fees?|\$\s?\d|parking|park"
    r"|hours|wait(?:s|ing)?|queues?|slots?|appointments?|bookings?|location|drive|commute|crowded|busy|noisy"
    # what is left when you come, and a time of day: "they sell out by 10 am", "closes at 8 pm"
    r"|sells?\s+out|sold\s+out|selling\s+out|\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?)"
    r"(?![\w-])",
    re.I,
)
# Trouble itself: something failing, broken, wrong or damaged, a customer billed or charged, or their
# money kept ("keeping a $150 deposit"), a thing never done ("a permit that was never pulled"),
# something lost by the business ("lost our data").
TROUBLE_WORDS = (
    r"fail\w*|broke|broken|breaks|unsafe|danger\w*|injur\w*|insecure|breach\w*|leak\w*|hack\w*|billed|charged|charging"
    r"|(?:kept|keeps|keeping|withh[eo]ld\w*)\s+(?:\S+\s+){0,3}?(?:deposits?|fees?|refunds?|money|payments?)"
    r"|overcharg\w*|damag\w*|wrong|errors?|mistakes?|defect\w*|complain\w*|scam\w*|fraud\w*|mould|mold|crack\w*"
    r"|torn|tore|stain\w*|scratch\w*|dent(?:s|ed)?|recall\w*|violations?|overwritten|expired?|hidden"
    r"|never\s+(?:been\s+)?\w+ed|lost\s+(?:my|our|their|his|her|the|a|an|some|several|\w+['’]s)|(?:was|were|got|been)\s+lost"
)
TROUBLE = re.compile(rf"\b(?:{TROUBLE_WORDS})\b", re.I)
# What makes a caveat core: trouble, or its topic, billing, refunds, cancelling, the contract or
# security ("billing is confusing"); in a report the topic alone tells of no trouble ("found the
# billing page easy to understand", "their deposit was refunded the day they checked out").
CORE_MATTER = re.compile(
    rf"\b(?:{TROUBLE_WORDS}|security|bill(?:ed|ing)|refunds?|refunded|cancel\w*|contracts?|deposits?|lost|never)\b",
    re.I,
)
# A chore that is gone ("no longer have to queue") is no mishap.
_CHORE = r"(?:have|has|need|needs) to\b"
# What goes wrong in a customer's own experience beside the core matters: the service late, short,
# stuck or dead ("had the battery die on the first ride", "loads that came up short").
# (late after what came or was done, not "open late"; short of what was owed, not "short waits")
MISHAP = re.compile(
    r"\b(?:(?:\w+ed|came|ran|running|showed up|turned up)\s+(?:\w+\s+){0,3}?late"
    r"|(?:came|come|comes|fell|falls|ran|runs)\s+(?:up\s+)?(?:[\w-]+\s+){0,5}?short|short(?:ed)? out|short by"
    r"|delay(?:s|ed)?|missing|stuck|stranded|spoil\w*|melt\w*|stopped|died|dead|overheat\w*|ignored|unanswered"
    rf"|no-shows?|no longer (?!{_CHORE})\w+)\b",
    re.I,
)
# Trouble said to be absent, just before it: "no hidden fees", "without a single breach", "never
# missing", "nothing missing".
DENIED = re.compile(
    rf"(?:\b(?:no|without|zero)\s+(?:(?:a|any|single|[\w-]+)\s+){{0,2}}|(?:\b(?:never|not|nothing)|{CONTRACTED_NOT})\s+)$",
    re.I,
)
# Trouble said to be absent: "no issues", "never a problem", "not one complaint", "without a hitch".
NO_TROUBLE = re.compile(
    rf"(?:\b(?:{NOT_WORDS}|without)|{CONTRACTED_NOT})\s+(?:\w+\s+)?(?:issues?|problems?|complaints?|trouble|faults?"
    r"|defects?|delays?|hitch|incident|fuss|missing|late|broken|damaged|wrong|errors?|mistakes?)\b"
    rf"|\bno longer {_CHORE}",
    re.I,
)

# Words that make a passage's praise conditional: with one, a list's framing is no recommendation.
CAVEAT = re.compile(r"\b(?:but|however|although|though|downsides?|drawbacks?|cons|caveat)\b", re.I)
# The nouns an answer names a caveat by ("The only downside: ...", "One small gripe: ...").
CAVEAT_NOUN = (
    # ("catch" the noun, after a determiner: "the catch is", not "catch missed deductions")
    r"(?:downside|drawback|caveat|con|complaint|gripe|quibble|(?<=the )catch|(?<=one )catch|niggle|nitpick|weak spot"
    r"|weakness|inconvenience|annoyance|hassle|trade-off|tradeoff)(?:s|es)?"
)
# A caveat pointed out as one: a turn, a concession or a caveat noun (CAVEAT's nouns are among them).
NAMED_CAVEAT = re.compile(rf"\b(?:but|however|although|though)\b|\b{CAVEAT_NOUN}\b", re.I)
# A caveat the answer itself calls minor: it weighs half as much as a statement.
MINOR_CAVEAT = re.compile(
    rf"\b(?:only|one|minor|small|slight|little)\s+(?:real\s+)?{CAVEAT_NOUN}\b"
    # the same said after the caveat: "its weak spot is minor", "the drawbacks are small"
    rf"|\b{CAVEAT_NOUN}\s+(?:is|are|was|were)\s+(?:(?:only|very|fairly|pretty|quite|rather)\s+)?"
    r"(?:minor|small|slight|trivial|cosmetic)\b",
    re.I,
)
# The heading of a list of caveats: "Cons", "Downsides", "Watch-outs".
CAVEATS_HEAD = r"(?:cons|downsides?|drawbacks?|caveats?|weaknesses|watch[- ]outs?)"
# A line that introduces a list of caveats: "..., but:", "Cons:", "Downsides:".
INTRODUCES_CAVEATS = re.compile(rf"(?:\b(?:but|however)|^\W*{CAVEATS_HEAD})\W*:\W*$", re.I)
# A line that names its own items as caveats: "- Cons: the ants came back; slow office".
NAMES_CAVEATS = re.compile(rf"^\W*{CAVEATS_HEAD}\s*:\s*\w", re.I)

# A caveat the answer softens by a degree word: "a bit clunky", "slightly dated", "a little slow".
SOFTENED = re.compile(r"\b(?:a (?:bit|little|touch|tad)|slightly|somewhat|marginally)\b", re.I)
# What follows "but" is a tip to the reader, not a fault of the brand: "but book ahead", "but ask
# for a written plan before you start", "but note that the pool closes at 8 pm".
TIP = re.compile(
    r"\s*(?:do\s+|be\s+sure\s+to\s+|make\s+sure\s+(?:to\s+|you\s+)?)?(?:ask|check|confirm|book|reserve|call|bring"
    r"|plan|arrive|go|get there|note|remember|expect|budget|order|request)\b",
    re.I,
)
# A mismatch with what was asked, not a fault: what the brand is made or set up for instead.
MISMATCH = re.compile(
    r"\b(?:(?:set up|built|designed|made|meant|aimed|geared|tailored)\s+(?:\w+ly\s+)?(?:for|at|to|toward|around)"
    r"|concentrates? on|focus(?:es)? on|speciali[sz]es? in)\b"
    # or what it does set against what the reader asked for: "works on documents rather than the
    # live interpreting you need"
    r"|\b(?:rather than|instead of)\b[^.;:!?]{0,60}?\byou(?:['’]re| are)?\s+"
    r"(?:asked|asking|need|want|wanted|after|looking for|mentioned)\b",
    re.I,
)
