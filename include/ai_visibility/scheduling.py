"""Which orgs `schedule_orgs` runs on a day, each at most once per period of its cadence."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.models import Org


def period_of(cadence: str, day: date) -> str:
    """The period a run belongs to: the day for daily orgs, the ISO week for weekly ones."""
    if cadence == "daily":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def due_orgs(db: Database, day: date) -> list[dict[str, object]]:
    """Trigger arguments for each org due on `day`; the run id is fixed per org and period."""
    with db.transaction() as s:
        orgs = s.scalars(select(Org).where(Org.cadence.is_not(None)).order_by(Org.id)).all()
    due: list[dict[str, object]] = []
    for org in orgs:
        cadence = str(org.cadence)
        if cadence == "weekly" and org.cadence_weekday != day.weekday():
            continue
        due.append({"trigger_run_id": f"scheduled__{org.id}__{period_of(cadence, day)}", "conf": {"org_id": org.id}})
    return due
