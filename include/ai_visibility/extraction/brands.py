"""The tracked brands as extraction matches them: names, aliases (given and generated), negative
terms and owned domains. Built from an org's stored definition or from the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.extraction.domains import registrable_domain
from ai_visibility.extraction.words import LEGAL_SUFFIX, is_descriptor, is_everyday_word

CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class Brand:
    """A tracked brand (the org itself or a competitor) as extraction needs it."""

    key: str
    name: str
    kind: str  # target | competitor
    aliases: tuple[str, ...]
    negative_terms: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class OrgView:
    id: str
    name: str
    target: Brand
    competitors: tuple[Brand, ...]


def generated_aliases(name: str, websites: Sequence[str], other_names: Sequence[str] = ()) -> list[str]:
    """Spellings people write for a brand, derived from its name and owned domains.

    - the legal suffix dropped ("Acme Inc." -> "Acme"), and a leading "The" ("The Home Depot" ->
      "Home Depot");
    - trailing industry descriptors dropped one by one ("Northwind Financial Group" -> "Northwind
      Financial", "Northwind"), as long as what remains is distinctive: not a single everyday word
      ("Summit Financial" keeps no "Summit");
    - CamelCase spaced, and a name of capitalised non-descriptor words joined ("BrightSpark" <->
      "Bright Spark");
    - the root of each owned domain.
    A short form that is, or is part of, another tracked brand's name is left to that brand.
    Spaces and hyphens inside a name need no variants: matching treats them as interchangeable.
    """
    bare = LEGAL_SUFFIX.sub("", name).strip()
    found = {bare}
    if bare.lower().startswith("the ") and _distinctive(bare[4:]):
        bare = bare[4:]  # "The Grand Harbor Hotel" is written "Grand Harbor Hotel" as often
        found.add(bare)
    words = bare.split()
    while len(words) > 1 and is_descriptor(words[-1].strip("&")):
        words = words[:-1]
        while len(words) > 1 and words[-1] in ("&", "and", "of"):
            words = words[:-1]
        short = " ".join(words)
        if _distinctive(short):
            found.add(short)
    for form in list(found):
        found.add(CAMEL.sub(" ", form))
        words = form.split()
        if len(words) > 1 and all(w[:1].isupper() and not is_descriptor(w) for w in words):
            found.add(form.replace(" ", ""))
    for site in websites:
        domain = registrable_domain(site)
        root = domain.split(".")[0] if domain else ""
        if len(root) >= 5:
            found.add(root)
    others = [o.lower() for o in other_names if o.lower() != name.lower()]
    return sorted(
        a
        for a in found
        if a and a.lower() != name.lower() and not any(re.search(rf"\b{re.escape(a.lower())}\b", o) for o in others)
    )


def _distinctive(short: str) -> bool:
    """A short form can stand for the brand when it is not one everyday word ("Summit") nor made only
    of descriptors ("Family Dental"), and is long enough not to be an initialism of something else;
    a name of several words ("Home Depot") is one, as the definitions' examples have it. A word
    written in CamelCase ("SkyLark") is coined, even when the dictionary lists its letters as a
    word ("skylark")."""
    letters = re.sub(r"[^A-Za-z]", "", short)
    coined = CAMEL.search(short) is not None
    if len(letters) < 3 or all(is_descriptor(w) for w in short.split()):
        return False
    return coined or " " in short or not is_everyday_word(short)


def make_brand(
    key: str, name: str, kind: str, websites: Sequence[str], aliases: Sequence[str], negative_terms: Sequence[str] = ()
) -> Brand:
    """A brand as extraction matches it: its name first, then every other spelling once."""
    return Brand(
        key=key,
        name=name,
        kind=kind,
        aliases=tuple(dict.fromkeys([name, *aliases])),
        negative_terms=tuple(negative_terms),
        domains=tuple(d for d in (registrable_domain(w) for w in websites) if d),
    )


def adhoc_org(name: str, aliases: list[str], websites: list[str], competitors: list[tuple[str, list[str]]]) -> OrgView:
    """An org built from the command line, for trying alias lists on one answer without a database."""
    names = [name, *(n for n, _ in competitors)]
    return OrgView(
        id="target",
        name=name,
        target=make_brand("target", name, "target", websites, [*generated_aliases(name, websites, names), *aliases]),
        competitors=tuple(
            make_brand(f"c{i}", n, "competitor", sites, generated_aliases(n, sites, names))
            for i, (n, sites) in enumerate(competitors, 1)
        ),
    )
