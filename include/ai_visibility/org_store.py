"""Store an org definition and read it back as the brands extraction matches (`OrgView`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ai_visibility.db import Database, upsert
from ai_visibility.db.models import AIModel, Alias, Competitor, Location, Org, Question
from ai_visibility.errors import InputError
from ai_visibility.extraction.brands import Brand, OrgView, generated_aliases, make_brand
from ai_visibility.org_spec import WEEKDAYS, OrgSpec


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
                "samples": spec.samples,
                "cadence": spec.schedule.cadence if spec.schedule else None,
                "cadence_weekday": WEEKDAYS.index(spec.schedule.weekday)
                if spec.schedule and spec.schedule.weekday
                else None,
                "alert_thresholds": spec.alerts.model_dump(),
                "cells_per_task": spec.cells_per_task,
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
    names = [name for _, name, *_ in brands]
    for brand, name, websites, manual, negative in brands:
        for kind, values in (
            ("generated", [a for a in generated_aliases(name, websites, names) if a.lower() not in excluded]),
            ("manual", manual),
            ("negative", negative),
        ):
            for alias in values:
                rows[(brand, alias.lower())] = {"org_id": spec.id, "brand": brand, "alias": alias, "kind": kind}
    return list(rows.values())


def require_org(s: Session, org_id: str) -> None:
    """An unknown org is refused as such, not as one that has not run yet (a typo would read as that)."""
    if s.get(Org, org_id) is not None:
        return
    stored = _some_orgs(s)
    have = f"the stored orgs are {stored}" if stored else "no org is stored yet"
    raise InputError(
        f"org {org_id!r} does not exist ({have}): check the id, or store the org with `ai-visibility org-apply FILE`"
    )


NAMED_ORGS = 10


def _some_orgs(s: Session) -> str:
    """The first stored org ids and how many more: a database of hundreds would fill the message."""
    ids = s.scalars(select(Org.id).order_by(Org.id).limit(NAMED_ORGS)).all()
    more = (s.scalar(select(func.count()).select_from(Org)) or 0) - len(ids) if len(ids) == NAMED_ORGS else 0
    return ", ".join(ids) + (f" and {more} more" if more else "")


def read_org(s: Session, org_id: str) -> OrgView:
    org = s.get(Org, org_id)
    if org is None:
        raise InputError(f"org_id {org_id!r} does not exist in the app database; known orgs: {_some_orgs(s) or 'none'}")
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
