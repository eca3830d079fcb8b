"""Step 1: check the org is there and complete, before anything is written; name the run's queue."""

from __future__ import annotations

from sqlalchemy import func, select

from ai_visibility import keys
from ai_visibility.db import Database
from ai_visibility.db.migrate import require_current_schema
from ai_visibility.db.models import AIModel, Competitor, Location, Question
from ai_visibility.errors import InputError
from ai_visibility.org_store import read_org
from ai_visibility.run_conf import RunConf


def load_org(db: Database, conf: RunConf, dag_run_id: str) -> dict[str, object]:
    """What the later steps start from: the org's summary, the run's validated conf and its queue id.

    Fails with the fix when the org is unknown or has nothing to ask.
    """
    org_id = conf.org_id
    require_current_schema(db)
    with db.transaction() as s:
        org = read_org(s, org_id)
        counts = {
            name: s.scalar(select(func.count()).select_from(model).where(model.org_id == org_id)) or 0
            for name, model in (
                ("questions", Question),
                ("models", AIModel),
                ("locations", Location),
                ("competitors", Competitor),
            )
        }
    missing = [name for name in ("questions", "models", "locations") if not counts[name]]
    if missing:
        raise InputError(
            f"org {org_id!r} has no {' and no '.join(missing)}: add them to its definition "
            "(`ai-visibility org apply FILE`) before running it"
        )
    return {
        "org_id": org.id,
        "name": org.name,
        **counts,
        "queue_id": keys.queue_id(org.id, dag_run_id),
        "dag_run_id": dag_run_id,
        "conf": conf.model_dump(),
    }
