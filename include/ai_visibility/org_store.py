"""Store an org definition and read it back as the typed view the steps work with."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ai_visibility.db import Database, upsert
from ai_visibility.db.models import AIModel, Alias, Competitor, Location, Org, Question
from ai_visibility.errors import InputError
from ai_visibility.extraction.domains import registrable_domain
from ai_visibility.org_spec import WEEKDAYS, OrgSpec

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


def save_org(db: Database, spec: OrgSpec) -> None:
    """Create or update the org and replace its competitors, models, locations and questions."""
    with db.transaction() as s:
        upsert(
            s,
            Org,
            {
                "id": spec.id,
                "name": spec.name,
                "websites": spec.websites,
                "synthetic": spec.synthetic,
                "cadence": spec.schedule.cadence if spec.schedule else None,
                "cadence_weekday": WEEKDAYS.index(spec.schedule.weekday)
                if spec.schedule and spec.schedule.weekday
                else None,
                "created_at": datetime.now(UTC),
            },
            keep=("created_at",),
        )
        for model in (Competitor, Alias, AIModel, Location, Question):
            s.execute(delete(model).where(model.org_id == spec.id))
        aliases = _alias_rows(spec)
        upsert(s, Alias, aliases)
        upsert(
            s,
            Competitor,
            [{"org_id": spec.id, "key": c.key, "name": c.name, "websites": c.websites} for c in spec.competitors],
        )
        upsert(s, AIModel, [{"org_id": spec.id, **m.model_dump()} for m in spec.models])
        upsert(
            s,
            Location,
            [{"org_id": spec.id, **loc.model_dump(exclude={"key"}), "key": loc.resolved_key} for loc in spec.locations],
        )
        upsert(s, Question, [{"org_id": spec.id, **q.model_dump()} for q in spec.questions])


def _alias_rows(spec: OrgSpec) -> list[dict[str, str]]:
    rows: dict[tuple[str, str], dict[str, str]] = {}
    brands = [(spec.id, spec.name, spec.websites, spec.aliases, spec.negative_terms)] + [
        (c.key, c.name, c.websites, c.aliases, c.negative_terms) for c in spec.competitors
    ]
    excluded = {a.lower() for a in spec.exclude_aliases}
    for brand, name, websites, manual, negative in brands:
        for kind, values in (
            ("generated", [a for a in generated_aliases(name, websites) if a.lower() not in excluded]),
            ("manual", manual),
            ("negative", negative),
        ):
            for alias in values:
                rows[(brand, alias.lower())] = {"org_id": spec.id, "brand": brand, "alias": alias, "kind": kind}
    return list(rows.values())


def read_org(s: Session, org_id: str) -> OrgView:
    org = s.get(Org, org_id)
    if org is None:
        known = s.scalars(select(Org.id).order_by(Org.id)).all()
        raise InputError(f"org_id {org_id!r} does not exist in the app database; known orgs: {list(known)}")
    aliases = s.scalars(select(Alias).where(Alias.org_id == org_id)).all()

    def brand(key: str, name: str, kind: str, websites: list[str]) -> Brand:
        mine = [a for a in aliases if a.brand == key]
        spellings = [a.alias for a in mine if a.kind != "negative"]
        return make_brand(key, name, kind, websites, spellings, [a.alias for a in mine if a.kind == "negative"])

    competitors = s.scalars(select(Competitor).where(Competitor.org_id == org_id).order_by(Competitor.key)).all()
    return OrgView(
        id=org.id,
        name=org.name,
        target=brand(org.id, org.name, "target", org.websites),
        competitors=tuple(brand(c.key, c.name, "competitor", c.websites) for c in competitors),
    )


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
