"""The bodies of the tasks both org DAGs run on a queue: build it, then after its cells the latest
flags, analytics, push and the final check. Each imports what it uses when it runs, so that the DAG
files that call these stay cheap to parse (tests/dags/test_parse_time.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow.sdk import conf
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.settings import Settings
from ai_visibility_airflow.step_tasks import fail_fast


def build_queue(org: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The queue's items to map over: one cell each, or groups of `cells_per_task` cells."""
    from ai_visibility import queue as queues
    from ai_visibility_airflow.connections import app_db
    from ai_visibility_airflow.provider_pools import publish_pools

    max_tasks, settings = conf.getint("core", "max_map_length"), Settings.from_env()
    return publish_pools(
        fail_fast(lambda: queues.build_queue(app_db(), org, max_tasks, settings.ai_concurrency, settings.execution))
    )


def update_latest_flags(queue_id: str) -> str:
    from ai_visibility import latest_flags
    from ai_visibility_airflow.connections import app_db

    print(latest_flags.update_latest_flags(app_db(), queue_id))
    return queue_id


def generate_analytics(queue_id: str) -> str:
    from ai_visibility import analytics
    from ai_visibility.extraction.source_kinds import load_source_kinds
    from ai_visibility_airflow.connections import app_db

    kinds = load_source_kinds(Settings.from_env().source_kinds_file)
    print(analytics.generate_analytics(app_db(), queue_id, kinds))
    return queue_id


def push_analytics(queue_id: str) -> str:
    from ai_visibility import push
    from ai_visibility_airflow.connections import app_db, push_destinations

    print(push.push_analytics(app_db(), queue_id, push_destinations(Settings.from_env().push_to)))
    return queue_id


def check_cells(queue_id: str) -> str:
    """Fail the run when cells failed, after refreshing flags, analytics and push if they are stale."""
    from ai_visibility import finalize
    from ai_visibility import queue as queues
    from ai_visibility.extraction.source_kinds import load_source_kinds
    from ai_visibility_airflow.connections import app_db, push_destinations

    settings = Settings.from_env()
    try:
        kinds = load_source_kinds(settings.source_kinds_file)
        return str(finalize.check_cells(app_db(), queue_id, push_destinations(settings.push_to), kinds))
    except queues.CellsFailed as exc:
        raise AirflowFailException(str(exc)) from exc
