"""What others report having happened to them: the reports an answer passes on, which tell of
trouble unless they praise clearly (docs/definitions.md, Reported experiences)."""

from __future__ import annotations

import re

# What others report having happened to them ("two buyers found cracks under the paint", "several
# couples report prints with a colour cast", "a thread describes members charged after cancelling"):
# an answer passes on others' experience to warn, or praises in so many words ("reviewers rave
# about the staff"); what it reports without praise as clear as a recommendation
# (`sentiment.ENDORSED`: a stray rated word, "found cracks under fresh paint", is not) is a
# complaint (docs/definitions.md, Reported experiences).
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

# A report nobody made: "No customers have reported missing deliveries".
NO_REPORT = re.compile(r"\b(?:no|not|zero|none of (?:the|its|their))\s+(?:\w+\s+)?$", re.I)
