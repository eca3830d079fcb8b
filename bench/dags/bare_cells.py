"""
### bare_cells

The benchmark's yardstick, not part of the product: `process_org`'s shape with nothing of ours in it.
`plan` returns one item per cell (or per group of `cells_per_task` cells), and a mapped group runs six
trivial steps per item wired as a cell's are; `call` sleeps `latency_s` like an AI call (a group's
calls `calls_per_group` at a time, else `AI_VISIBILITY_AI_CONCURRENCY`) and is limited as `process_org`'s is (that many
instances at once, in the `bench_ai` pool that `make bench` creates). Same weight rule too, so the
difference to `process_org` is what our steps cost.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Any

from airflow.sdk import dag, task, task_group

AI_SLOTS = int(os.environ.get("AI_VISIBILITY_AI_CONCURRENCY", "3"))


@task
def plan(params: dict[str, Any] | None = None) -> list[int]:
    conf = params or {}
    return list(range(-(-int(conf["cells"]) // int(conf.get("cells_per_task") or 1))))


@task(max_active_tis_per_dag=AI_SLOTS, pool="bench_ai")
def call(item: int, params: dict[str, Any] | None = None) -> int:
    conf = params or {}
    cells = int(conf.get("cells_per_task") or 1)
    # A group's calls go as many at a time as process_org's do: the slots its instance holds.
    at_once = min(cells, int(conf.get("calls_per_group") or AI_SLOTS))
    time.sleep(float(conf["latency_s"]) * -(-cells // at_once))
    return item


@task
def record(item: int) -> int:
    return item


@task
def mentions(item: int) -> int:
    return item


@task
def claims(item: int) -> int:
    return item


@task
def citations(item: int) -> int:
    return item


@task
def metrics(item: int) -> int:
    return item


@task_group
def cell(item: int) -> Any:
    recorded = call(item) >> record(item)
    done = metrics(item)
    recorded >> [mentions(item), claims(item), citations(item)] >> done
    return done


@dag(
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    doc_md=__doc__,
    default_args={"weight_rule": "upstream"},
    tags=["bench"],
)
def bare_cells() -> None:
    cell.expand(item=plan())


bare_cells()
