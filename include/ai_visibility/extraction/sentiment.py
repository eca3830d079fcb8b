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
from ai_visibility.extraction.not_opinions import neutralised
from ai_visibility.extraction.text_units import plain, split_units

Label = Literal["positive", "neutral", "negative"]
# How the answer introduces the list, cards or headings a brand's passage is one of.
Framing = Literal["best", "warned"] | None

# VADER's own cut-off between neutral and opinionated text (compound score).
OPINION = 0.05
# The object of a pick: the brand's name, masked out as blanks, or a pronoun for it ("there" for
# a place: "I wouldn't park a van there").
PICKED = r"(?=\s{3,}|\s+\[\s+[\w.]*\]|\s+(?:them|it|this one|that one|there)\b)"
# Verbs of taking up what a business offers: a pick, or a refusal, in the answer's own voice is one
# of them with the brand as its object, a few words and a preposition between ("I'd store furniture
# at X", "I wouldn't book a room with X"), whatever the business. Three kinds: choosing or buying,
# going to a place for its service ("I'd go to X", "I'd take my cat to X"), and entrusting it
# something ("I wouldn't park a van there").
TAKE_UP = (
    r"(?:choose|pick|start with|opt for|go (?:for|with)|buy|order|book|hire|rent|lease|use|shop|switch|sign up"
    r"|stay|store|bank|insure|enrol|enroll|join|subscribe|trust|rely on|fly|eat|ship|move|go|head|visit)"
)
# Taking or entrusting something to a business needs its object first: "take my cat to X", "leave a
# van there", "run payroll through X" (not "take it with a grain of salt", "leave them off the list").
CARRY = r"(?:take|bring|drive|walk|leave|park|send|entrust|put|run|process|file|keep)"
_AT = r"(?:at|with|from|through|to|in)"
TAKEN_UP = (
    rf"(?:{TAKE_UP}\b(?:\s+(?!{_AT}\b)[\w-]+){{0,3}}?|{CARRY}\b(?:\s+(?!{_AT}\b)[\w-]+){{1,4}}?)"
    rf"(?:\s+{_AT})?{PICKED}"
)
# "avoid X" warns; "to avoid delays" / "helps you avoid fees" states a purpose.
WARNED = re.compile(
    # "avoid X" warns; what someone must, can or is helped to avoid is a need or a purpose ("to
    # avoid delays", "helps you avoid fees", "diners who must avoid nuts")
    r"(?<!\bto )(?<!\bhelps you )(?<!\bhelp you )(?<!\bmust )(?<!\bcan )(?<!\bwho )(?<!\bthat )"
    r"\b(?:avoid|steer (?:well |well and truly )?clear)\b"
    # advice to be on guard: "be careful", "stay wary of", "be sceptical"
    r"|\b(?:be|being|stay|remain)\s+(?:cautious|careful|wary|leery|skeptical|sceptical|suspicious|on (?:your )?guard)\b"
    r"|\b(?:think twice|red flag|proceed with caution|beware|look elsewhere|stay away)"
    r"|(?:\bnot|n['’]t|\bnever|\bno longer)\s+(?:\w+\s+)?recommend"
    r"|\b(?:do not|don['’]t|never|would not|wouldn['’]t)\s+(?:go|buy|use|choose|pick|book|trust|rely on|bother with)"
    r"\s+(?:here|there|it|them|this|that)\b"
    rf"|\b(?:i|we)\s+(?:do not|don['’]t|never|would not|wouldn['’]t|won['’]t|will not)\s+(?:\w+ly\s+)?{TAKEN_UP}"
    # a conclusion against it, or advice to protect yourself from it (docs/definitions.md, Sentiment)
    r"|\bnot worth (?:it|the|paying)\b|\bwait (?:until|till)\b"
    # passing on the offer or putting it off: "I'd hold off", "I'd pass on X", "give them a miss"
    r"|\bhold off\b|\b(?:i|we)(?:['’]d| would)\s+pass on\b|\bgive\b[^.;:]{0,30}\b(?:a miss|a wide berth)\b"
    # a pick deferred until the brand is what it was: "until X's phone line is staffed again"
    r"|\b(?:until|till)\b[^.;:!?]{0,80}?\b(?:again|back to normal)\b|\b(?:ask|insist)\b[^.]{0,40}\bin writing\b"
    # a conclusion to choose another ("I'd pick someone else", "shop elsewhere", "skip them")
    r"|\b(?:buy|choose|pick|go with|book|hire|use|try|get)\s+(?:something|someone|somewhere|anything)\s+else\b"
    r"|\b(?:look|go|shop|buy|book|turn)\s+elsewhere\b|\bskip (?:it|them|this one|that one)\b"
    # a closing pick in the answer's own voice of another option ("I'd go with a different roofer")
    # ("I'd keep client files in another tool"), or of anything over it ("I'd go to a specialist
    # rather than X", the brand masked out as blanks)
    rf"|\b(?:i|we)(?:['’]d| would)\b[^.;:!?]{{0,60}}?\b(?:{TAKE_UP}|call|get|try|keep|put)\b"
    r"(?:\s+[\w-]+){0,4}?\s+(?:(?:from|with|in|at|to)\s+)?(?:(?:one|any) of the other\w*|another|a different"
    r"|the other (?:one|option|company|provider))\b"
    # (anything: an option named by a noun, "a specialist", "an independent teacher", not another brand,
    # which is that brand's pick: "I'd go with Y over X" is read for Y and X by the shared-sentence rule)
    # (no brand named between: "I'd take the warranty from Y over X" is Y's pick, read for each brand
    # by the shared-sentence rule)
    r"|\b(?:i|we)(?:['’]d| would)\b[^.;:!?]{0,40}?\b(?:a|an|the|one)\s+(?:(?!\s{3})[^.;:!?]){0,60}?"
    # (not another of the brand's own, named by "one": "I'd visit the downtown one rather than this one")
    r"(?<!\bone )\b(?:rather than|instead of|over)(?:\s{3,}|\s+this (?:one|place)\b|\s+them\b)"
    # a verdict of refusal written in prose: "Verdict: pass for now", "skip it for now"
    r"|\bverdict\s*:\s*(?:skip|pass|avoid)\b|\b(?:skip|pass)(?:\s+on\s+(?:it|them))?\s+for now\b"
    r"|\bskip\s{3,}\S"  # "skip" and a brand's name, masked out as blanks
    r"|\b(?:get|have|request)\b[^.]{0,40}\b(?:in writing|written (?:into|in|down))\b"
    r"|\bthe fine print\b|\bread the (?:[\w-]+\s+)?(?:contract|terms|small print)\b"
    # a precaution against it, told to the reader: testing it before relying on it ("order a test
    # book before you trust it", "have the frame inspected by an independent mechanic"), keeping
    # proof ("screenshot the confirmation"), documenting what you hand over ("photograph anything
    # fragile before the crew arrives"); not a service's own checks ("checked by an independent
    # engineer") nor a free trial "before you pay"
    r"|\bbefore\s+(?:you\s+)?(?:trust|rely|relies|hand over)\w*"
    r"|\b(?:have|get)\b[^.;]{0,50}\b(?:checked|inspected|verified|looked over)\s+by\s+(?:an?\s+)?independent\b"
    # (not a screenshot kept to show on arrival: "screenshot the QR code so you can skip the desk")
    r"|(?:^|[.!?,;:]\s*|\band\s+)screenshot\s+(?:the|your|every|each)\b"
    r"(?![^.;!?]*\b(?:so (?:that )?you can|for (?:check-in|boarding|entry|pick-?up|collection)\b))"
    # and a reminder to get out before the brand bills again ("set a reminder to cancel before day
    # 14", "set a reminder before the renewal date"): a billing trap told as advice
    r"|\bset\s+(?:a|an|yourself\s+a)\s+(?:calendar\s+)?(?:reminder|alarm|alert)\b[^.;:!?]{0,30}?"
    r"\b(?:to cancel|before\s+(?:(?:the|your|its|it)\s+)?(?:\w+\s+)?(?:renew\w*|billing|auto-renew\w*))"
    r"|\b(?:photograph|film|video|take (?:photos|pictures) of)\b[^.;]{0,60}\bbefore\b"
    # a conclusion that sets it aside: "best left for everyday shirts, if at all"
    r"|\bbest left\b[^.;]{0,60}\bif at all\b",
    re.I,
)
# A check on the brand told to the reader before committing to it ("ask them for the tutor's
# certificate before you pay", "confirm every dose change by phone before you give it", "before
# enrolling, ask the director for the latest inspection report"): a precaution against the trouble
# the passage tells of (docs/definitions.md, Caveats against praise), so a warning where that
# trouble is more than minor; beside praise or a minor caveat it is an ordinary tip ("check the
# class times before you book").
_COMMIT = (
    r"(?:pay(?:ing)?|mak(?:e|ing)|sign(?:ing)?|enrol\w*|book\w*|commit\w*|buy\w*|giv(?:e|ing)|tak(?:e|ing)|hand\w*"
    r"|hir(?:e|ing)|start\w*|agree\w*|accept\w*)"
)
# (checking what was delivered counts too: "measure the pile before you sign the ticket")
_CHECK = r"(?:ask|check|confirm|verify|double-check|get|request|insist on|measure|count|inspect|test|weigh)"
VERIFIED_FIRST = re.compile(
    rf"\b{_CHECK}\b[^.;:!?]{{0,80}}?\bbefore\s+(?:you\s+)?{_COMMIT}\b"
    rf"|\bbefore\s+(?:you\s+)?{_COMMIT}\b[^.;:!?]{{0,40}}?,\s*{_CHECK}\b",
    re.I,
)
# What others report having happened to them ("two buyers found cracks under the paint", "several
# couples report prints with a colour cast", "a thread describes members charged after cancelling"):
# an answer passes on others' experience to warn, or praises in so many words ("reviewers rave
# about the staff"); what it reports without praise as clear as a recommendation (ENDORSED: a stray
# rated word, "found cracks under fresh paint", is not) is a complaint (docs/definitions.md,
# Reported experiences).
REPORTERS = (
    r"(?:customers|clients|buyers|reviewers|reviews|users|members|owners|parents|couples|guests|patients|diners"
    r"|riders|tenants|homeowners|drivers|shoppers|subscribers|travell?ers|students|people|posters|commenters"
    r"|readers|families|residents|renters|borrowers|callers|listeners|viewers|threads?|posts?|complaints"
    r"|audits?|testers?|inspectors?|investigations?|regulators?)"
)
REPORTED = re.compile(
    # verbs of what happened to them; "say" and "mention" pass on opinions, read as they are, unless
    # what is said is what happened
    # (the verb within a few words of who reports: "parents mention the progress reports" reports nothing)
    rf"\b{REPORTERS}\b(?:\s+[^\s.;:]+){{0,4}}?\s+(?:report(?:s|ed)?|found|describe[sd]?|complain(?:s|ed)?"
    # what they report follows the verb: a heading "What clients report" reports nothing
    r"|post(?:s|ed)?|recount(?:s|ed)?|ended up|got|received|had"
    # or what was done to them, told in the past: "two customers were billed for a permit never pulled",
    # "several patients were quoted one price"
    r"|(?:were|was)\s+(?:\w+ed|told|left|given|sent|kept|shown|sold)"
    # or "say" with what happened, told in the past: "two customers say it billed them for a permit"
    r"|(?:say|says|said)(?=\s+(?:that\s+)?(?:[^\s.;:]+\s+){0,2}?\w+ed\s))\b(?=\s+\S+\s+\S)"
    # "describe the director as quick to answer" characterises: an opinion, read as one
    r"(?!(?:\s+[^\s.;:]+){1,4}\s+as\b)",
    re.I,
)

RECOMMENDED = re.compile(
    r"\b(recommend(?:ed|s)?|best (?:overall|choice|option|pick|fit|bet|value)|(?<!not )(?<!not the )best for"
    r"|top (?:pick|choice)|(?:our|my|the) pick for|our pick|(?<=#)1 (?:pick|choice)|number one (?:pick|choice)"
    r"|editor['’]?s['’]? choice|(?<!if you )go with"
    # the answer's own pick named as a noun: "our recommendation is", "our top choice"
    r"|(?:my|our) (?:top |first |clear |main )?(?:recommendation|choice|vote|pick)\b"
    r"|first choice|is the best|stands? out|leads(?! to)"
    # a pick in the answer's own voice: "the one I'd choose", "I would ring them first"
    r"|the (?:one|model|plan|service|company|firm) (?:i|we)(?:['’]d| would) (?:buy|choose|pick|get|book|hire|use)"
    # or to the reader: "X is the one to call"
    r"|\bis the (?:one|place|school|shop|firm|company|app|tool) to (?:call|choose|pick|book|hire|use|try|go to)\b"
    # with the brand as the object: its name (masked out as blanks) or "them"/"it" right after the verb
    r"|(?:i|we)(?:['’]d| would) (?:call|ring|contact|hire|book|buy|choose|pick|try|start with)"
    rf"{PICKED}[^.,;:]{{0,40}}?\bfirst"
    # a pick by any verb of taking up a business's offer: "I'd buy from X", "I would sign up with X"
    rf"|(?:i|we)(?:['’]d| would) (?:\w+ly |still )?{TAKEN_UP}"
    r"|(?:i|we)(?:['’]d| would) (?:steer|point|send) (?:you|people|most people) (?:toward|towards|to)\b"
    # a pick addressed to the reader for a need, as "Best for X" is: "If you want quiet, stay at X"
    # (a need for a quality, not a task to do: "If you need to cancel, use X's app" instructs)
    rf"|\bif you(?:['’]re| are)?\s+(?:want|need|prefer|value|care about|after|looking for)\s+(?!to\b)"
    rf"[^.;:!?]{{0,80}},\s*"
    rf"(?:just\s+|simply\s+)?{TAKEN_UP}"
    r"|the (?!(?:other|former|latter|inner|outer|upper) )(?:\w+er|\w+est) (?:option|choice|pick|bet))\b",
    re.I,
)
BUT = re.compile(r"\bbut\b", re.I)
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
# Clear praise: "excellent" (2.7) and "great" (3.1); "friendly" (2.2), "good" (1.9) and "capable" are
# milder.
STRONG = 2.5
# A negated caveat reports a failure ("doesn't show up for appointments"), never an inconvenience.
NEGATION = re.compile(r"\b(?:not|never|no)\b|n['’]t\b", re.I)
WITHOUT = re.compile(r"\bwithout\b", re.I)
# What a minor caveat touches (docs/definitions.md: price, convenience), and what makes one core:
# the service failing, safety, security, billing or the contract.
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
_TROUBLE = (
    r"fail\w*|broke|broken|breaks|unsafe|danger\w*|injur\w*|insecure|breach\w*|leak\w*|hack\w*|billed|charged|charging"
    r"|(?:kept|keeps|keeping|withh[eo]ld\w*)\s+(?:\S+\s+){0,3}?(?:deposits?|fees?|refunds?|money|payments?)"
    r"|overcharg\w*|damag\w*|wrong|errors?|mistakes?|defect\w*|complain\w*|scam\w*|fraud\w*|mould|mold|crack\w*"
    r"|torn|tore|stain\w*|scratch\w*|dent(?:s|ed)?|recall\w*|violations?|overwritten|expired?|hidden"
    r"|never\s+(?:been\s+)?\w+ed|lost\s+(?:my|our|their|his|her|the|a|an|some|several|\w+['’]s)|(?:was|were|got|been)\s+lost"
)
TROUBLE = re.compile(rf"\b(?:{_TROUBLE})\b", re.I)
# What makes a caveat core beside trouble: its topic, billing, refunds, cancelling, the contract or
# security ("billing is confusing"); in a report the topic alone tells of no trouble ("found the
# billing page easy to understand", "their deposit was refunded the day they checked out").
CORE_MATTER = re.compile(
    rf"\b(?:{_TROUBLE}|security|bill(?:ed|ing)|refunds?|refunded|cancel\w*|contracts?|deposits?|lost|never)\b", re.I
)
# What goes wrong in a customer's own experience beside the core matters: the service late, short,
# stuck or dead ("had the battery die on the first ride", "loads that came up short").
# (late after what came or was done, not "open late"; short of what was owed, not "short waits")
MISHAP = re.compile(
    r"\b(?:(?:\w+ed|came|ran|running|showed up|turned up)\s+(?:\w+\s+){0,3}?late"
    r"|(?:came|come|comes|fell|falls|ran|runs)\s+(?:up\s+)?(?:[\w-]+\s+){0,5}?short|short(?:ed)? out|short by"
    r"|delay(?:s|ed)?|missing|stuck|stranded|spoil\w*|melt\w*|stopped|died|dead|overheat\w*|ignored|unanswered"
    r"|no-shows?|no longer (?!(?:have|has|need|needs) to\b)\w+)\b",
    re.I,
)
# Trouble said to be absent: "no hidden fees", "without a single breach", "never missing", "nothing missing".
DENIED = re.compile(
    r"(?:\b(?:no|without|zero)\s+(?:(?:a|any|single|[\w-]+)\s+){0,2}|(?:\b(?:never|not|nothing)|n['’]t)\s+)$", re.I
)
# A report nobody made: "No customers have reported missing deliveries".
NO_REPORT = re.compile(r"\b(?:no|not|zero|none of (?:the|its|their))\s+(?:\w+\s+)?$", re.I)
# Trouble said to be absent: "no issues", "never a problem", "not one complaint", "without a hitch".
NO_TROUBLE = re.compile(
    r"(?:\b(?:no|not|never|without)|n['’]t)\s+(?:\w+\s+)?(?:issues?|problems?|complaints?|trouble|faults?|defects?"
    r"|delays?|hitch|incident|fuss|missing|late|broken|damaged|wrong|errors?|mistakes?)\b"
    # a chore that is gone: "no longer have to queue"
    r"|\bno longer (?:have|has|need|needs) to\b",
    re.I,
)
# Below this a statement's praise is faint: VADER scores "it has no hidden fees" 0.36 and "a good
# option" 0.44, while a lack with a stray rated word ("growing businesses outgrow it") stays under it.
CLEAR_PRAISE = 0.3
# VADER's score of a bare "no X" with "no" rated as it ships (-1.2): what a lack after "but" weighs.
LACK_WEIGHT = 0.296
# What follows "but" is a lack: "but not included", "but it doesn't cover X", "but lacks X".
LACK = re.compile(r"\s*(?:\w+\s+){0,3}?(?:not|no|never|n['’]t|lacks?|lacking|without)\b", re.I)
# Words that make a passage's praise conditional: with one, a list's framing is no recommendation.
CAVEAT = re.compile(r"\b(?:but|however|although|though|downsides?|drawbacks?|cons|caveat)\b", re.I)
# The heading of a list of caveats: "Cons", "Downsides", "Watch-outs".
CAVEATS_HEAD = r"(?:cons|downsides?|drawbacks?|caveats?|weaknesses|watch[- ]outs?)"
# A line that introduces a list of caveats: "..., but:", "Cons:", "Downsides:".
INTRODUCES_CAVEATS = re.compile(rf"(?:\b(?:but|however)|^\W*{CAVEATS_HEAD})\W*:\W*$", re.I)
# A line that names its own items as caveats: "- Cons: the ants came back; slow office".
NAMES_CAVEATS = re.compile(rf"^\W*{CAVEATS_HEAD}\s*:\s*\w", re.I)
# Turning words VADER does not know, read as its "but": what follows is the point.
TURN = re.compile(
    r"(?:,\s*|;\s*|\s+)(?:however|that said|nevertheless|nonetheless|even so)(?:,\s*|\s+)"
    # "yet" as a conjunction after a comma ("a friendly front desk, yet customers report ..."); "not yet" is not one
    r"|,\s*yet\s+"
    # "though" set off by commas is the adverb ("Since spring, though, refunds ..."), a turn like "however"
    r"|,\s*though\s*,\s*",
    re.I,
)
# "Although X, Y" and "Y, although X": the concession X weighs less than the point Y.
CONCESSION_FIRST = re.compile(
    r"^\s*(?:although|though|even though|while|whilst)\s+(?P<x>[^,]+),\s*(?P<y>.+)$", re.I | re.S
)
CONCESSION_AFTER = re.compile(r"^(?P<y>.+?),?\s+(?:although|though|even though)\s+(?P<x>.+)$", re.I | re.S)
# A caveat the answer itself calls minor ("The only downside: ...", "One small gripe: ..."): it
# weighs half as much as a statement.
CAVEAT_NOUN = (
    # ("catch" the noun, after a determiner: "the catch is", not "catch missed deductions")
    r"(?:downside|drawback|caveat|con|complaint|gripe|quibble|(?<=the )catch|(?<=one )catch|niggle|nitpick|weak spot"
    r"|weakness|inconvenience"
    r"|annoyance|hassle|trade-off|tradeoff)(?:s|es)?"
)
NAMED_CAVEAT = re.compile(rf"{CAVEAT.pattern}|\b{CAVEAT_NOUN}\b", re.I)
MINOR_CAVEAT = re.compile(
    rf"\b(?:only|one|minor|small|slight|little)\s+(?:real\s+)?{CAVEAT_NOUN}\b"
    # the same said after the caveat: "its weak spot is minor", "the drawbacks are small"
    rf"|\b{CAVEAT_NOUN}\s+(?:is|are|was|were)\s+(?:(?:only|very|fairly|pretty|quite|rather)\s+)?"
    r"(?:minor|small|slight|trivial|cosmetic)\b",
    re.I,
)
# A caveat the answer softens by a degree word: "a bit clunky", "slightly dated", "a little slow".
SOFTENED = re.compile(r"\b(?:a (?:bit|little|touch|tad)|slightly|somewhat|marginally)\b", re.I)
# What follows "but" is a tip to the reader, not a fault of the brand: "but book ahead", "but ask
# for a written plan before you start", "but note that the pool closes at 8 pm".
TIP = re.compile(
    r"\s*(?:do\s+|be\s+sure\s+to\s+|make\s+sure\s+(?:to\s+|you\s+)?)?(?:ask|check|confirm|book|reserve|call|bring"
    r"|plan|arrive|go|get there|note|remember|expect|budget|order|request)\b",
    re.I,
)
# A caveat this faint is one word rated milder than VADER's 1 in a plain statement ("evening slots
# are limited" scores -0.23; "support is slow", -0.30, and "the app is clunky", -0.38, are
# not faint): a limit of convenience, as minor as a caveat the answer calls minor.
FAINT_CAVEAT = 0.25
# How much a recommendation, or a place among the options introduced as the best, weighs as praise
# against its passage's caveats: as a statement of plain praise ("a good option" scores 0.44).
ENDORSED = 0.5
# A sentence that opens by turning on the one before it.
OPENS_WITH_TURN = re.compile(
    r"^\W*(?:however|but|yet|that said|nevertheless|nonetheless|even so|unfortunately|on the downside|the downside)\b"
    # or turns after its first words: "Since January, though, ...", "Its support, however, ..."
    r"|^[^.;:,]{1,40},\s*(?:though|however)\s*,",
    re.I,
)
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
    text = _as_but(review_words.join_phrases(text.replace("’", "'").replace("‘", "'")))
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


def judge(passages: Sequence[str], framing: Framing = None) -> tuple[float, Label]:
    """Score and label of a brand from its passages (brand names already masked out, so that a name
    like "Trust Bank" or "Bright Spark" is not read as praise). `framing`: the answer presents the
    brand among options it introduces as the best ones ("best") or as ones to avoid ("warned")."""
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
    if framing == "warned" or guarded or WARNED.search(text):
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
    lack = (
        value < OPINION
        and (NEGATION.search(statement) or WITHOUT.search(statement))
        and not NO_TROUBLE.search(statement)
    )
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
    text = _as_but(review_words.join_phrases(statement))
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
    return any(m.search(caveat) for m in (CORE_MATTER, MISHAP, NEGATION, WITHOUT))


def _minor(caveat: str) -> bool:
    """A caveat that touches only price or convenience: it names one, nothing core, and says nothing
    else against the brand ("is expensive for small teams", not "has a steep learning curve and is
    expensive")."""
    if not MINOR_MATTER.search(caveat) or CORE_MATTER.search(caveat) or NEGATION.search(caveat):
        return False  # "doesn't always show up for appointments" is a failure, not an inconvenience
    return score(MINOR_MATTER.sub(" ", caveat)) > -OPINION


def _as_but(text: str) -> str:
    """A concession or a turn VADER does not know, rewritten with its "but": "Although X, Y" and
    "Y, although X" as "X but Y"; "X. However, Y" and "X, however, Y" as "X but Y"."""
    text = TURN.sub(" but ", text)
    m = CONCESSION_FIRST.match(text) or CONCESSION_AFTER.match(text)
    if m:
        return f"{m.group('x').strip()} but {m.group('y').strip()}"
    return text


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
