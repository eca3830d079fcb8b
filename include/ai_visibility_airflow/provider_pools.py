"""Each cell's AI call waits in its provider's pool, which bounds the calls in flight to that provider
across every run and org.

A mapped task has one pool for all its instances, and the cells of one run ask several providers.
`build_queue` therefore publishes, beside the cells, the pool of each cell's AI call by map index
(XCom `ai_pools`), and this cluster policy, registered as an `airflow.policy` entry point of the
project's package, gives each instance of the AI call that pool when the scheduler expands it (and
again whenever Airflow refreshes the instance from its task, as a clear does).

A group of cells (`cells_per_task` above 1) makes several AI calls at once; `build_queue` then also
publishes how many (XCom `ai_pool_slots`), and the policy has the instance take that many slots of
its pool (`pool_slots`), never more than the pool has, or Airflow would never schedule it. The task
process is not told its `pool_slots`, so the policy also records them in the instance's task state
store (key `ai_pool_slots`), and the group makes no more calls at once than that (`held_slots`).

An instance whose pool does not exist keeps the task's own pool, and the scheduler log says which
pool to create: Airflow never schedules a task instance that sits in a missing pool.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from sqlalchemy.orm import Session

DAG_ID = "process_org"
AI_CALL_TASK_ID = "process_cell.call_ai"
QUEUE_TASK_ID = "build_queue"
POOLS_XCOM_KEY = "ai_pools"
SLOTS_XCOM_KEY = "ai_pool_slots"
HELD_SLOTS_KEY = "ai_pool_slots"  # in the instance's task state store: the slots the policy gave it
log = logging.getLogger(__name__)
# Airflow's own marker, made here rather than imported: Airflow imports this module while `import
# airflow` runs, so importing Airflow at the top would register a half-built module with no hook.
hookimpl = pluggy.HookimplMarker("airflow.policy")


def pool_for(provider: str) -> str:
    """The pool that throttles the AI calls to one provider, e.g. `ai_perplexity`."""
    return f"ai_{provider}"


def publish_pools(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Called by `build_queue` on its mapped items: publishes the pool of each, in map-index order,
    and for groups of cells the AI calls each makes at once."""
    from airflow.sdk import get_current_context

    ti = get_current_context()["ti"]
    ti.xcom_push(POOLS_XCOM_KEY, [pool_for(cell["provider"]) for cell in cells])
    if any("cells" in cell for cell in cells):
        ti.xcom_push(SLOTS_XCOM_KEY, [int(cell.get("calls", 1)) for cell in cells])
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
        pool = _published(session, task_instance, POOLS_XCOM_KEY)
        if pool is None or pool == task_instance.pool:
            return
        total = _pool_slots(session, pool)
        if total is None:
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
        calls = _published(session, task_instance, SLOTS_XCOM_KEY)
    task_instance.pool = str(pool)
    if calls is not None:
        if int(calls) > total > 0:
            log.warning(
                "%s %s[%d]: this group would make %d AI calls at once but pool %r has %d slots; it takes them "
                "all and makes that many at once. Lower AI_VISIBILITY_AI_CONCURRENCY or give the pool more slots",
                task_instance.run_id,
                task_instance.task_id,
                task_instance.map_index,
                int(calls),
                pool,
                total,
            )
        # A pool of 0 slots pauses the provider: the group waits with one slot, as a single cell does.
        task_instance.pool_slots = max(1, min(int(calls), total))
        with session.no_autoflush:
            _record_slots(session, task_instance)


def held_slots(context: Any) -> int:
    """The pool slots the running instance holds, as the policy recorded them; 1 when it recorded none
    (a single cell, or a group whose provider has no pool and waits in the task's own, one slot)."""
    held = context["task_state_store"].get(HELD_SLOTS_KEY)
    return max(1, int(held)) if held is not None else 1


def _record_slots(session: Session, task_instance: TaskInstance) -> None:
    """Where the task process can read its `pool_slots` (it is not given them): kept across retries,
    written again whenever the policy runs again (a clear)."""
    import json

    from airflow.state import TaskScope, get_state_backend

    scope = TaskScope(
        dag_id=task_instance.dag_id,
        run_id=task_instance.run_id,
        task_id=task_instance.task_id,
        map_index=task_instance.map_index,
    )
    get_state_backend().set(scope, HELD_SLOTS_KEY, json.dumps(task_instance.pool_slots), session=session)


def _published(session: Session, task_instance: TaskInstance, key: str) -> Any:
    """What `build_queue` published under `key` for this instance's map index, if anything."""
    from airflow.models.xcom import XComModel

    query = XComModel.get_many(
        run_id=task_instance.run_id,
        key=key,
        task_ids=QUEUE_TASK_ID,
        dag_ids=task_instance.dag_id,
        map_indexes=-1,
        limit=1,
    )
    row = session.scalars(query).first()
    values = XComModel.deserialize_value(row) if row is not None else None
    if not isinstance(values, list) or task_instance.map_index >= len(values):
        return None
    return values[task_instance.map_index]


def _pool_slots(session: Session, name: str) -> int | None:
    """The pool's slots, or None when it does not exist."""
    from airflow.models.pool import Pool
    from sqlalchemy import select

    return session.scalar(select(Pool.slots).where(Pool.pool == name))
