"""reprocess_org imports cleanly and silently, and has the shape its users rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CELL, QUEUE = "reextract_cell", "refresh_queue"
EXTRACTIONS = ["extract_mentions", "extract_claims", "extract_citations"]


@pytest.fixture(scope="module")
def dag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags" / "reprocess_org.py"))
    assert bag.import_errors == {}
    return bag.dags["reprocess_org"]


def test_the_flow_is_plan_reextract_cells_then_refresh_each_queue_then_check(dag: Any) -> None:
    def downstream(task_id: str) -> set[str]:
        return set(dag.get_task(task_id).downstream_task_ids)

    assert {t.task_id for t in dag.tasks} == {
        "plan_reprocess",
        *(f"{CELL}.{s}" for s in [*EXTRACTIONS, "calculate_metrics"]),
        "affected_queues",
        *(f"{QUEUE}.{s}" for s in ["update_latest_flags", "generate_analytics", "push_analytics"]),
        "check_reextraction",
    }
    assert not any("call_ai" in t.task_id or "record_question_run" in t.task_id for t in dag.tasks)
    assert downstream("plan_reprocess") == {
        *(f"{CELL}.{s}" for s in [*EXTRACTIONS, "calculate_metrics"]),
        "affected_queues",
        "check_reextraction",
    }
    for extraction in EXTRACTIONS:
        assert downstream(f"{CELL}.{extraction}") == {f"{CELL}.calculate_metrics"}
    assert downstream(f"{CELL}.calculate_metrics") == {f"{QUEUE}.update_latest_flags"}
    assert downstream("affected_queues") == {
        f"{QUEUE}.{s}" for s in ["update_latest_flags", "generate_analytics", "push_analytics"]
    }
    assert downstream(f"{QUEUE}.update_latest_flags") == {f"{QUEUE}.generate_analytics"}
    assert downstream(f"{QUEUE}.generate_analytics") == {f"{QUEUE}.push_analytics"}
    assert downstream(f"{QUEUE}.push_analytics") == {"check_reextraction"}
    assert dag.leaves == [dag.get_task("check_reextraction")]


def test_cells_are_labelled_like_process_org_and_queues_by_their_id(dag: Any) -> None:
    for step in [*EXTRACTIONS, "calculate_metrics"]:
        task = dag.get_task(f"{CELL}.{step}")
        assert task.map_index_template == "{{ cell.label }}"
        assert task.execution_timeout is not None and task.execution_timeout.total_seconds() <= 60
        assert task.pool == "default_pool"  # no AI call, so no provider pool
    for step in ["update_latest_flags", "generate_analytics", "push_analytics"]:
        assert dag.get_task(f"{QUEUE}.{step}").map_index_template == "{{ queue_id }}"
    assert dag.get_task(f"{QUEUE}.update_latest_flags").trigger_rule == "all_done_min_one_success"
    assert dag.get_task("plan_reprocess").retries == 0 and dag.get_task("check_reextraction").retries == 0


def test_conf_is_declared_as_params_with_titles_and_help(dag: Any) -> None:
    params = dag.params
    assert set(params.keys()) == {"org_id", "queues", "since", "until"}
    for name in params:
        schema = params.get_param(name).schema
        assert schema["title"] and schema["description_md"]
    assert params.get_param("queues").schema["type"] == ["null", "array"]
    assert params.get_param("since").schema["format"] == "date"
    assert dag.schedule is None and not dag.catchup and "reprocess_org" in dag.doc_md
    assert dag.max_active_runs == 1  # two runs over one queue would close it under each other
