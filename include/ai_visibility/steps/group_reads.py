"""What every cell of a group reads alike, read once for the group's step rather than once per cell:
the org as extraction matches it (its brands and aliases, `OrgView`) and the org's questions, models
and locations. A group's cells see the org as it was defined when the group's step started, as one
cell sees it when its step starts; a task of one cell reads it from the database itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ai_visibility.db.models import AIModel, Location, Question
from ai_visibility.extraction.brands import OrgView
from ai_visibility.org_store import read_org


@dataclass(frozen=True)
class Definitions:
    """The org's questions, models and locations by key, detached from the session that read them."""

    questions: dict[str, Question]
    models: dict[str, AIModel]
    locations: dict[str, Location]


class GroupReads:
    """The reads a group's step shares between its cells (and the threads of its AI calls)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._orgs: dict[str, OrgView] = {}
        self._definitions: dict[str, Definitions] = {}

    def org(self, s: Session, org_id: str) -> OrgView:
        with self._lock:
            if org_id not in self._orgs:
                self._orgs[org_id] = read_org(s, org_id)
            return self._orgs[org_id]

    def definitions(self, s: Session, org_id: str) -> Definitions:
        with self._lock:
            if org_id not in self._definitions:
                self._definitions[org_id] = Definitions(
                    {q.key: q for q in s.scalars(select(Question).where(Question.org_id == org_id))},
                    {m.key: m for m in s.scalars(select(AIModel).where(AIModel.org_id == org_id))},
                    {loc.key: loc for loc in s.scalars(select(Location).where(Location.org_id == org_id))},
                )
            return self._definitions[org_id]


def org_view(s: Session, org_id: str, reads: GroupReads | None) -> OrgView:
    """The org as extraction matches it: the group's copy, or read now for a cell on its own."""
    return reads.org(s, org_id) if reads is not None else read_org(s, org_id)
