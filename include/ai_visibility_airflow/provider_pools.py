"""Each cell's AI call waits in its provider's pool, which bounds the calls in flight to that provider
across every run and org.

A mapped task has one pool for all its instances, and the cells of one run ask several providers.
`build_queue` therefore publishes, beside the cells, the pool of each cell's AI call by map index
(XCom `ai_pools`), and this cluster policy, registered as an `airflow.policy` entry point of the
project's package, gives each instance of the AI call that pool when the scheduler expands it (and
again whenever Airflow refreshes the instance from its task, as a clear does).

An instance whose pool does not exist keeps the task's own pool, and the scheduler log says which
pool to create: Airflow never schedules a task instance that sits in a missing pool.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from sqlalchemy.orm import Session

DAG_ID = "process_org"
AI_CALL_TASK_ID = "process_cell.call_ai"
QUEUE_TASK_ID = "build_queue"
POOLS_XCOM_KEY = "ai_pools"
log = logging.getLogger(__name__)
# Airflow's own marker, made here rather than imported: Airflow imports this module while `import
# airflow` runs, so importing Airflow at the top would register a half-built module with no hook.
hookimpl = pluggy.HookimplMarker("airflow.policy")


def pool_for(provider: str) -> str:
    """The pool that throttles the AI calls to one provider, e.g. `ai_perplexity`."""
    return f"ai_{provider}"


def publish_pools(cells: list[dict[str, str]]) -> list[dict[str, str]]:
    """Called by `build_queue` on its cells: publishes the pool of each, in map-index order."""
    from airflow.sdk import get_current_context

    get_current_context()["ti"].xcom_push(POOLS_XCOM_KEY, [pool_for(cell["provider"]) for cell in cells])
    return cells


@hookimpl
def task_instance_mutation_hook(task_instance: TaskInstance, dag_run: DagRun | None) -> None:
    if task_instance.dag_id != DAG_ID or task_instance.task_id != AI_CALL_TASK_ID or task_instance.map_index < 0:
        return
    from sqlalchemy.orm import object_session

    # The scheduler's own session, inside its transaction; without a run (a bare TaskInstance being
    # built) there is nothing to read yet, and Airflow calls the hook again once the run is known.
    session = object_session(dag_run) if dag_run is not None else None
    if session is None:
        return
    with session.no_autoflush:
        pool = _published_pool(session, task_instance)
        if pool is None or pool == task_instance.pool:
            return
        if not _pool_exists(session, pool):
            log.warning(
                "%s %s[%d]: pool %r does not exist, so this AI call is not throttled per provider; create it "
                "(airflow_settings.yaml, the Pools page, or `airflow pools set %s SLOTS DESCRIPTION`)",
                task_instance.run_id,
                task_instance.task_id,
                task_instance.map_index,
                pool,
                pool,
            )
            return
    task_instance.pool = pool


def _published_pool(session: Session, task_instance: TaskInstance) -> str | None:
    from airflow.models.xcom import XComModel

    query = XComModel.get_many(
        run_id=task_instance.run_id,
        key=POOLS_XCOM_KEY,
        task_ids=QUEUE_TASK_ID,
        dag_ids=task_instance.dag_id,
        map_indexes=-1,
        limit=1,
    )
    row = session.scalars(query).first()
    pools = XComModel.deserialize_value(row) if row is not None else None
    if not isinstance(pools, list) or task_instance.map_index >= len(pools):
        return None
    return str(pools[task_instance.map_index])


def _pool_exists(session: Session, name: str) -> bool:
    from airflow.models.pool import Pool
    from sqlalchemy import select

    return session.scalar(select(Pool.id).where(Pool.pool == name)) is not None
