"""Step 1: check the org is there and complete, before anything is written; name the run's queue."""

from __future__ import annotations

from sqlalchemy import func, select

from ai_visibility import keys
from ai_visibility.ai.endpoint import EndpointResolver
from ai_visibility.db import Database
from ai_visibility.db.migrate import require_current_schema
from ai_visibility.db.models import AIModel, Competitor, Location, Org, Question
from ai_visibility.errors import InputError
from ai_visibility.org_store import read_org
from ai_visibility.run_conf import RunConf


def load_org(db: Database, conf: RunConf, dag_run_id: str, resolve_endpoint: EndpointResolver) -> dict[str, object]:
    """What the later steps start from: the org's summary, the run's validated conf, its queue id and
    how many cells each mapped task works on (the conf's `cells_per_task`, else the org's).

    Fails with the fix when the org is unknown, has nothing to ask, or a model it runs cannot be reached
    (its connection is missing or has no key), before any cell is queued.
    """
    org_id = conf.org_id
    require_current_schema(db)
    with db.transaction() as s:
        org = read_org(s, org_id)
        cells_per_task = conf.cells_per_task or s.scalar(select(Org.cells_per_task).where(Org.id == org_id)) or 1
        counts = {
            name: s.scalar(select(func.count()).select_from(model).where(model.org_id == org_id)) or 0
            for name, model in (
                ("questions", Question),
                ("models", AIModel),
                ("locations", Location),
                ("competitors", Competitor),
            )
        }
        models = s.execute(
            select(AIModel.key, AIModel.provider, AIModel.conn_id).where(AIModel.org_id == org_id).order_by(AIModel.key)
        ).all()
    missing = [name for name in ("questions", "models", "locations") if not counts[name]]
    if missing:
        raise InputError(
            f"org {org_id!r} has no {' and no '.join(missing)}: add them to its definition "
            "(`ai-visibility org-apply FILE`) before running it"
        )
    for model in models:
        if conf.models is None or model.key in conf.models:
            _check_connection(model.key, model.provider, model.conn_id, resolve_endpoint)
    return {
        "org_id": org.id,
        "name": org.name,
        **counts,
        "queue_id": keys.queue_id(org.id, dag_run_id),
        "dag_run_id": dag_run_id,
        "conf": conf.model_dump(),
        "cells_per_task": cells_per_task,
    }


def _check_connection(model: str, provider: str, conn_id: str, resolve_endpoint: EndpointResolver) -> None:
    try:
        endpoint = resolve_endpoint(conn_id)
    except InputError as exc:
        raise InputError(f"model {model!r} uses connection {conn_id!r}, which cannot be used: {exc}") from None
    # The simulator and a local server answer without a key; every hosted provider refuses a call without one.
    if endpoint.transport == "http" and provider != "local" and not endpoint.has_key:
        raise InputError(
            f"model {model!r} uses connection {conn_id!r}, which has no key: set the {provider} API key "
            "as the connection's password"
        )
