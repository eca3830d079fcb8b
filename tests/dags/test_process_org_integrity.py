"""The DAG imports cleanly, silently, and has the shape users and operators rely on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ai_visibility.org_spec import MAX_SAMPLES

ROOT = Path(__file__).resolve().parents[2]
GROUP = "process_cell"
STEPS = [
    "call_ai",
    "record_question_run",
    "extract_mentions",
    "extract_claims",
    "extract_citations",
    "calculate_metrics",
]


@pytest.fixture(scope="module")
def dag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    assert sorted(bag.dags) == ["process_org", "reprocess_org", "schedule_orgs"]
    return bag.dags["process_org"]


def test_the_flow_is_load_queue_cells_flags_analytics_push_and_alerts_check(dag: Any) -> None:
    ids = {t.task_id for t in dag.tasks}
    assert ids == {
        "load_org",
        "build_queue",
        *(f"{GROUP}.{s}" for s in STEPS),
        "update_latest_flags",
        "generate_analytics",
        "push_analytics",
        "alert_on_changes",
        "check_cells",
    }

    def downstream(task_id: str) -> set[str]:
        return set(dag.get_task(task_id).downstream_task_ids)

    assert downstream("load_org") == {"build_queue"}
    # The queue's id comes from build_queue: a queue never built leaves flags and check upstream_failed.
    assert downstream("build_queue") == {
        *(f"{GROUP}.{s}" for s in STEPS),
        "update_latest_flags",
        "check_cells",
    }
    assert downstream(f"{GROUP}.call_ai") == {f"{GROUP}.record_question_run"}
    assert downstream(f"{GROUP}.record_question_run") == {f"{GROUP}.{s}" for s in STEPS[2:5]}
    for extract in STEPS[2:5]:
        assert downstream(f"{GROUP}.{extract}") == {f"{GROUP}.calculate_metrics"}
    # The check waits for the cells as well: cleared with them, it waits for them to rerun.
    assert downstream(f"{GROUP}.calculate_metrics") == {"update_latest_flags", "check_cells"}
    assert downstream("update_latest_flags") == {"generate_analytics"}
    assert downstream("generate_analytics") == {"push_analytics", "alert_on_changes"}
    assert downstream("push_analytics") == {"check_cells"}
    assert downstream("alert_on_changes") == {"check_cells"}
    assert dag.leaves == [dag.get_task("check_cells")]


def test_every_cell_step_is_mapped_labelled_bounded_and_retried(dag: Any) -> None:
    for step in STEPS:
        task = dag.get_task(f"{GROUP}.{step}")
        assert task.map_index_template == "{{ cell.label }}"
        assert task.execution_timeout is not None and task.execution_timeout.total_seconds() <= 60
        assert task.retry_exponential_backoff
    assert dag.get_task(f"{GROUP}.call_ai").max_active_tis_per_dag == 3


def test_later_steps_run_when_some_cells_failed(dag: Any) -> None:
    assert dag.get_task("update_latest_flags").trigger_rule == "all_done_min_one_success"
    assert dag.get_task("check_cells").trigger_rule == "all_done_min_one_success"
    assert dag.get_task("load_org").retries == 0 and dag.get_task("check_cells").retries == 0


def test_a_cell_whose_answer_is_in_finishes_before_more_ai_calls_start(dag: Any) -> None:
    """The scheduler queues the highest weight first: with the default (downstream) rule the AI call
    outranks everything after it, so every call ran before any cell finished (issue #12)."""
    from types import SimpleNamespace

    from airflow.task.priority_strategy import validate_and_load_priority_weight_strategy

    def weight(task_id: str) -> int:
        task = dag.get_task(task_id)
        strategy = validate_and_load_priority_weight_strategy(task.weight_rule)
        return int(strategy.get_weight(SimpleNamespace(task=task)))  # type: ignore[arg-type]  # reads only .task

    call, record, metrics = (weight(f"{GROUP}.{s}") for s in ("call_ai", "record_question_run", "calculate_metrics"))
    extractions = [weight(f"{GROUP}.{s}") for s in STEPS[2:5]]
    assert call < record < min(extractions) and max(extractions) < metrics
    assert weight("load_org") < call  # a new run's first step does not jump ahead of cells in flight


def test_conf_is_declared_as_params_with_titles_and_help(dag: Any) -> None:
    params = dag.params
    assert set(params.keys()) == {
        "org_id", "questions", "models", "locations", "budget_usd", "samples", "cells_per_task",
    }  # fmt: skip
    for name in params:
        schema = params.get_param(name).schema
        assert schema["title"] and schema["description_md"]
    assert params.get_param("org_id").schema["type"] == "string"
    assert params.get_param("models").schema["type"] == ["null", "array"]


def test_samples_is_a_whole_number_from_1_to_the_maximum_or_empty(dag: Any) -> None:
    from airflow.sdk.exceptions import ParamValidationError

    param = dag.params.get_param("samples")
    assert [param.resolve(value) for value in (None, 1, 3, MAX_SAMPLES)] == [None, 1, 3, MAX_SAMPLES]
    for wrong in (0, MAX_SAMPLES + 1, 2.5, "2", True, [2]):
        with pytest.raises(ParamValidationError, match="samples"):
            param.resolve(wrong, suppress_exception=False)


def test_cells_per_task_defaults_to_the_orgs_setting_and_refuses_what_is_not_a_group_size(dag: Any) -> None:
    param = dag.params.get_param("cells_per_task")
    assert param.value is None  # the org's own setting, 1 unless its file says otherwise
    assert (param.schema["type"], param.schema["minimum"], param.schema["maximum"]) == (["null", "integer"], 1, 1000)
    assert param.resolve(value=50) == 50
    for bad in (0, 2.5, "ten", 1001):
        with pytest.raises(Exception, match=r"is not of type|is less than|is greater than"):
            param.resolve(value=bad)


@pytest.mark.parametrize(
    ("name", "key"), [("questions", "best-crm-startups"), ("models", "gpt-4o"), ("locations", "US")]
)
def test_a_narrowing_list_is_refused_empty_and_a_cleared_form_field_means_all_of_them(
    dag: Any, name: str, key: str
) -> None:
    from airflow.sdk.exceptions import ParamValidationError

    from ai_visibility.run_conf import parse_run_conf

    param = dag.params.get_param(name)
    # An explicit [] (REST) is refused at trigger time, as the help says: leave it out for all of them.
    with pytest.raises(ParamValidationError, match=r"\[\] should be non-empty"):
        param.resolve([], suppress_exception=False)
    # The trigger form's field is a textarea, one key per line, sent as the lines: a field cleared
    # and left sends null, one cleared without leaving it [""], a trailing newline an extra "".
    # Each passes the schema; blank lines are nothing, so a field left with none means every one.
    for sent, narrowed in ((None, None), ([""], None), (["", " "], None), ([key, ""], [key])):
        value = param.resolve(sent, suppress_exception=False)
        assert getattr(parse_run_conf({"org_id": "brightpath", name: value}), name) == narrowed, sent


def test_the_dag_is_manual_static_and_documented(dag: Any) -> None:
    assert dag.schedule is None
    assert dag.start_date.year == 2026 and not dag.catchup
    assert "process_org" in dag.doc_md


def test_the_domain_package_never_imports_airflow() -> None:
    probe = """
import importlib, pkgutil, sys
import ai_visibility
for module in pkgutil.walk_packages(ai_visibility.__path__, "ai_visibility."):
    if ".migrations" not in module.name:
        importlib.import_module(module.name)
leaked = sorted(m for m in sys.modules if m == "airflow" or m.startswith("airflow."))
assert not leaked, leaked
"""
    subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True)


def test_in_ecs_mode_each_step_is_a_fargate_task_with_the_same_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("AI_VISIBILITY_EXECUTION", "ecs")
    monkeypatch.setenv("AI_VISIBILITY_ECS_SUBNETS", "subnet-0a1b,subnet-2c3d")
    monkeypatch.setenv("AI_VISIBILITY_ECS_SECURITY_GROUPS", "sg-0f00")
    bag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py"))
    assert bag.import_errors == {}
    dag = bag.dags["process_org"]
    for step in STEPS:
        task: Any = dag.get_task(f"{GROUP}.{step}")
        assert type(task).__name__ == "CellStepOnEcs"
        assert task.launch_type == "FARGATE" and task.reattach and task.container_name == "ai-visibility-step"
        assert task.network_configuration["awsvpcConfiguration"] == {
            "subnets": ["subnet-0a1b", "subnet-2c3d"],
            "securityGroups": ["sg-0f00"],
            "assignPublicIp": "DISABLED",
        }
        assert task.awslogs_group and task.awslogs_stream_prefix
        # The step's 60 s of work plus the default 120 s for Fargate to start its container.
        assert task.execution_timeout is not None and task.execution_timeout.total_seconds() == 180
        assert task.retry_exponential_backoff
        assert task.map_index_template == "{{ task.cell['label'] }}"
    assert dag.get_task(f"{GROUP}.call_ai").max_active_tis_per_dag == 3
    assert dag.get_task("update_latest_flags").trigger_rule == "all_done_min_one_success"


def test_an_unknown_execution_mode_is_a_clear_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("AI_VISIBILITY_EXECUTION", "kubernetes")
    bag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py"))
    assert "AI_VISIBILITY_EXECUTION='kubernetes': use one of ['local', 'ecs']" in next(iter(bag.import_errors.values()))
