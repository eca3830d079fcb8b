"""What a name is made of: legal suffixes, industry descriptors and everyday English words.

"Everyday" means listed in Webster's Second International dictionary (the `web2` list the
`english-words` package ships), plurals included. A name that is such a word ("Summit", "Zoom") or
a phrase of them ("Bright Spark") is ambiguous in running text; an invented word ("Northwind",
"Brightpath") is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from english_words import get_english_words_set

LEGAL_SUFFIX = re.compile(
    r",?\s+(?:inc\.?|incorporated|llc|l\.l\.c\.|ltd\.?|limited|gmbh|ag|corp\.?|corporation|co\.?|plc|s\.a\."
    r"|pty\.? ltd\.?)$",
    re.I,
)
# Words that say what kind of business a name belongs to, not which one: the part of a name people
# leave out ("Northwind" for "Northwind Bank"). General industry vocabulary, not any one case's.
DESCRIPTORS = frozenset(
    """
group holdings holding company companies enterprises industries international global worldwide
partners associates ventures capital investments investment advisors advisers wealth management
financial finance bank banking bancorp credit union insurance assurance mutual trust payments lending
mortgage loans securities fund funds exchange
technologies technology tech software systems solutions labs lab digital data analytics cloud ai
networks network apps app platform platforms crm hq io online web
services service consulting consultants agency media marketing studios studio productions design
electric electrical electricians plumbing heating cooling hvac air roofing construction contractors
builders landscaping cleaning restoration remodeling pest control moving storage movers
clinic clinics health healthcare medical medicine dental dentistry pharmacy care hospital hospitals
physicians therapy wellness labs diagnostics
law legal attorneys lawyers
hotels hotel resorts resort inns inn suites hospitality travel tours airlines
motors motor auto autos automotive cars dealership
realty real estate properties property homes housing
academy university college school schools institute education learning
foods food restaurant restaurants kitchen bakery cafe coffee brewing brewery
outfitters apparel clothing fashion store stores shop shops market markets supply supplies goods
outdoors sports fitness gym
energy solar power utilities logistics freight shipping transport
pizza pizzeria grill bistro tavern diner deli eatery taqueria cantina bar pub taproom catering bbq barbecue
steakhouse sushi burgers tacos bagels bakeshop creamery winery vineyards vineyard distillery roasters roastery
boutique jewelers jewelry florist flowers hardware furniture mattress appliances books bookstore pets pet
nursery garden gardens outlet mart emporium gallery optical eyewear
veterinary vet animal pediatrics pediatric orthodontics orthodontic dermatology chiropractic optometry eye
vision hearing audiology orthopedics podiatry rehab rehabilitation counseling psychiatry psychology behavioral
dentists dentist surgery surgical family practice center centre centers doctors nursing hospice senior living
home homecare spa salon barbershop barber beauty aesthetics medspa massage yoga pilates crossfit
firm accounting accountants cpa cpas tax bookkeeping advisory brokerage realtors agents staffing recruiting payroll
repair repairs gutters windows doors painting painters flooring carpet pools pool lawn fencing garage locksmith
towing collision glass tile cabinets handyman renovation renovations
tire tires imports rentals rental tutoring preschool montessori daycare prep
wireless communications telecom broadband fiber airways cruises co-op cooperative
drain drains sewer septic rooter grooming groomers kennel kennels boarding training trainers cleaners maids janitorial
exterminators tree arborists landscapers concrete paving masonry insulation siding locksmiths hauling junk disposal
waste recycling printing signs photography events weddings florals limo limousine taxi cabs shuttle couriers delivery
express trucking detailing brakes transmission lube veterinarians vets spas nails gyms athletics dance swim lessons
tutors translation brokers lenders title escrow inspections inspectors engineering architects architecture interiors
upholstery tailoring alterations laundry electronics computers security protection cybersecurity defense
""".split()  # noqa: SIM905 - a word list reads better as text
)


# Geographic features: a name followed by one is a place ("the Fernhill trail", "Summit Park").
PLACE_NOUNS = frozenset(
    """
trail trails park parks lake lakes river creek brook pond hill hills mountain mountains valley canyon
falls island bay harbor harbour beach coast forest woods road street avenue lane drive boulevard highway
bridge neighborhood neighbourhood district county township village estates station airport reservoir
""".split()  # noqa: SIM905 - a word list reads better as text
)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    return frozenset(get_english_words_set(["web2"], lower=True))


def is_everyday_word(word: str) -> bool:
    """True for a dictionary word or its plural ("summit", "outfitters"), false for "Brightpath"."""
    w = word.lower().strip(".'’")
    words = _dictionary()
    if w in words:
        return True
    return (
        (w.endswith("s") and w[:-1] in words)
        or (w.endswith("es") and w[:-2] in words)
        or (w.endswith("ies") and w[:-3] + "y" in words)
    )


def is_everyday_phrase(text: str) -> bool:
    """True when every word of `text` is an everyday word ("Bright Spark", "Monday", "Phase 3": a
    number is everyday too); a word that mixes letters and digits is a coined name ("1Password",
    "23andMe")."""
    parts = re.findall(r"[A-Za-z0-9]+", text)
    if any(p.isalnum() and not p.isalpha() and not p.isdigit() for p in parts):
        return False
    words = [p for p in parts if p.isalpha()]
    return bool(words) and all(is_everyday_word(p) for p in words)


def is_descriptor(word: str) -> bool:
    return word.lower().strip(".,") in DESCRIPTORS


def is_place_noun(word: str) -> bool:
    return word.lower().strip(".,") in PLACE_NOUNS
