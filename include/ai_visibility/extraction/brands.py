"""The tracked brands as extraction matches them: names, aliases (given and generated), negative
terms and owned domains. Built from an org's stored definition or from the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ai_visibility.extraction.domains import registrable_domain

CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
LEGAL_SUFFIX = re.compile(r",?\s+(inc\.?|llc|ltd\.?|limited|gmbh|corp\.?|corporation|co\.?|plc|s\.a\.)$", re.I)


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


def generated_aliases(name: str, websites: list[str]) -> list[str]:
    """Spellings derived from the name and owned domains: the legal suffix dropped, CamelCase words
    spaced ("BrightSpark" -> "Bright Spark"), and the domain's root. Spaces and hyphens inside a
    name need no variants: matching treats them as interchangeable."""
    bare = LEGAL_SUFFIX.sub("", name).strip()
    found = {bare, CAMEL.sub(" ", bare)}
    for site in websites:
        domain = registrable_domain(site)
        root = domain.split(".")[0] if domain else ""
        if len(root) >= 5:
            found.add(root)
    return sorted(a for a in found if a and a.lower() != name.lower())


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
    return OrgView(
        id="target",
        name=name,
        target=make_brand("target", name, "target", websites, [*generated_aliases(name, websites), *aliases]),
        competitors=tuple(
            make_brand(f"c{i}", n, "competitor", sites, generated_aliases(n, sites))
            for i, (n, sites) in enumerate(competitors, 1)
        ),
    )
