"""Warnings and picks in the answer's own voice, known by their class, not by listed phrases
(docs/definitions.md, Sentiment): advice to be on guard, a refusal of the brand by any verb of taking
up an offer, passing on it or putting it off, a pick of another option, a precaution against it told
to the reader (WARNED, VERIFIED_FIRST); and a pick of the brand by one, or the answer's own pick
named as a noun (RECOMMENDED)."""

from __future__ import annotations

import re

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
# A warning against the brand: advice, a refusal or a conclusion in the answer's own voice, or a
# precaution told to the reader.
WARNED = re.compile(
    # each warning starts a word, or at the "n't" or the punctuation before "screenshot" below: saying
    # so first lets the engine pass over the middle of words without trying each warning there
    r"(?:(?<!\w)|(?=[n.!?,;:]))(?:"
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
    r"|\bbest left\b[^.;]{0,60}\bif at all\b"
    r")",
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
