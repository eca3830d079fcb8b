"""`process_org` in `ecs` mode: every micro-step is an EcsRunTaskOperator whose container runs
`ai-visibility step STEP --cell KEY`, executed for real by the local Fargate stand-in (moto)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.models import AIResponse, QuestionRun, QueueCell, RunMetrics
from ai_visibility.errors import PERMANENT_EXIT_CODE
from ai_visibility.steps.registry import STEP_NAMES as STEPS
from tests.e2e.conftest import ROOT, states
from tests.e2e.fargate import LocalFargate, local_fargate

pytestmark = pytest.mark.e2e
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest) -> str:
    # The containers reach the app database through the same connection; SQLite keeps this suite fast.
    return str(request.getfixturevalue("sqlite_url"))


@pytest.fixture
def on_fargate(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Switch the DAG to ecs mode against the local Fargate, and parse it."""

    def parse(fargate: LocalFargate) -> Any:
        from airflow.dag_processing.dagbag import DagBag

        for name, value in {
            "AI_VISIBILITY_EXECUTION": "ecs",
            "AI_VISIBILITY_ECS_SUBNETS": fargate.subnet,
            "AI_VISIBILITY_ECS_SECURITY_GROUPS": fargate.security_group,
            "AI_VISIBILITY_ECS_REGION": "eu-west-1",
            "AI_VISIBILITY_AWS_CONN_ID": "",
            "AI_VISIBILITY_ECS_WAITER_DELAY_S": "1",
        }.items():
            monkeypatch.setenv(name, value)
        bag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py"))
        assert bag.import_errors == {}
        return bag.dags["process_org"]

    return parse


@pytest.fixture
def fargate(demo_db: Database, app_env: Callable[..., None]) -> Iterator[Callable[..., Any]]:
    app_env(demo_db.url)
    with_failures: list[Any] = []

    def start(
        fail_to_start: set[str] | None = None, server: bool = False, start_failure: str | None = None, **simulator: Any
    ) -> Any:
        if simulator:
            app_env(demo_db.url, **simulator)
        context = local_fargate({}, fail_to_start, server, start_failure)
        with_failures.append(context)
        return context.__enter__()

    yield start
    for context in with_failures:
        context.__exit__(None, None, None)


def test_every_step_runs_as_the_step_command_in_its_own_container(
    demo_db: Database, fargate: Callable[..., LocalFargate], on_fargate: Callable[..., Any]
) -> None:
    local = fargate()
    dag = on_fargate(local)
    assert type(dag.get_task("process_cell.call_ai")).__name__ == "CellStepOnEcs"
    run = dag.test(run_conf=CONF)
    assert run.state == "success"
    with demo_db.transaction() as s:
        cells = {c.key: c.label for c in s.scalars(select(QueueCell))}
        assert len(s.scalars(select(QuestionRun)).all()) == len(s.scalars(select(RunMetrics)).all()) == 3
        assert len(s.scalars(select(AIResponse)).all()) == 3
    ran = {(r["command"][2], r["command"][4]) for r in local.runs}
    assert ran == {(step, cell) for step in STEPS for cell in cells}  # each cell's rows come from its containers
    assert all(r["command"][:2] == ["ai-visibility", "step"] and r["exit_code"] == 0 for r in local.runs)
    step_settings = {
        "AI_VISIBILITY_DB_CONN_ID": "ai_visibility_db",
        "AI_VISIBILITY_STEP_TIMEOUT_S": "60",
        "AI_VISIBILITY_EXTRACTION_MODE": "rules",
        "AI_VISIBILITY_BREAKER_FAILURES": "3",
        "AI_VISIBILITY_BREAKER_COOLDOWN_S": "60",
    }
    assert all(r["environment"] == step_settings for r in local.runs)  # the container's only settings
    labels = {ti.rendered_map_index for ti in run.get_task_instances() if ti.task_id.startswith("process_cell.")}
    assert labels == set(cells.values())


def test_a_failing_container_fails_its_cell_with_the_last_log_lines(
    demo_db: Database,
    fargate: Callable[..., LocalFargate],
    on_fargate: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "7")
    local = fargate(fail="http_500", fail_models=["sonar"])
    run = on_fargate(local).test(run_conf=CONF)
    assert run.state == "failed"
    failed = [r for r in local.runs if r["exit_code"] not in (0, None)]
    assert [r["command"][2] for r in failed] == ["call_ai"]
    assert failed[0]["environment"]["AI_VISIBILITY_STEP_TIMEOUT_S"] == "7"  # its AI call's deadline: 2 s
    output = capsys.readouterr().out
    assert "last 20 logs from Cloudwatch" in output and "HTTP 500" in output
    with demo_db.transaction() as s:
        statuses = {c.model_key: (c.status, c.failed_step, c.error or "") for c in s.scalars(select(QueueCell))}
    assert statuses["sonar"][:2] == ("failed", "call_ai") and "HTTP 500" in statuses["sonar"][2]
    assert statuses["gpt-4o"][0] == statuses["gemini-flash"][0] == "completed"
    assert states(run)[("generate_analytics", -1)] == "success"


def test_a_task_whose_image_cannot_be_pulled_fails_its_cell_clearly_without_retries(
    demo_db: Database, fargate: Callable[..., LocalFargate], on_fargate: Callable[..., Any]
) -> None:
    local = fargate(
        fail_to_start={"extract_claims"},
        # What ECS says when the image's tag does not exist: pulling again cannot help.
        start_failure="CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to "
        "resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ai-visibility:v9: not found",
    )
    run = on_fargate(local).test(run_conf=CONF)
    assert run.state == "failed"
    with demo_db.transaction() as s:
        cells = s.scalars(select(QueueCell)).all()
    assert {c.status for c in cells} == {"failed"}
    assert {c.failed_step for c in cells} == {"extract_claims"}
    assert all("failed to start" in (c.error or "") and "CannotPullContainerError" in (c.error or "") for c in cells)
    assert all("Not retried: its image cannot be pulled." in (c.error or "") for c in cells)
    assert not any(r["command"][2] == "calculate_metrics" for r in local.runs)
    claims = [ti for ti in run.get_task_instances() if ti.task_id == "process_cell.extract_claims"]
    assert {(ti.state, ti.try_number) for ti in claims} == {("failed", 1)}
    assert sum(r["command"][2] == "extract_claims" for r in local.runs) == len(cells)


def test_a_step_that_fails_for_good_in_its_container_is_not_retried(
    demo_db: Database, fargate: Callable[..., LocalFargate], on_fargate: Callable[..., Any]
) -> None:
    # The provider refuses the key (HTTP 401): the step exits with the permanent code, and running
    # the container again would pay for the same refusal.
    local = fargate(fail="http_401", fail_models=["sonar"])
    run = on_fargate(local).test(run_conf={**CONF, "models": ["sonar", "gpt-4o"]})
    assert run.state == "failed"
    calls = {ti.map_index: ti for ti in run.get_task_instances() if ti.task_id == "process_cell.call_ai"}
    with demo_db.transaction() as s:
        cells = {c.position: c for c in s.scalars(select(QueueCell))}
    sonar = next(i for i, c in cells.items() if c.model_key == "sonar")
    assert (calls[sonar].state, calls[sonar].try_number) == ("failed", 1)
    sonar_runs = [r for r in local.runs if r["command"][2] == "call_ai" and r["command"][4] == cells[sonar].key]
    assert [r["exit_code"] for r in sonar_runs] == [PERMANENT_EXIT_CODE]
    assert cells[sonar].status == "failed" and "401" in (cells[sonar].error or "")
    assert {c.status for i, c in cells.items() if i != sonar} == {"completed"}


def test_a_missing_task_definition_fails_each_call_at_once(
    demo_db: Database,
    fargate: Callable[..., LocalFargate],
    on_fargate: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local = fargate()
    monkeypatch.setenv("AI_VISIBILITY_ECS_TASK_DEFINITION", "ai-visibility-step-typo")
    run = on_fargate(local).test(run_conf={**CONF, "models": ["gpt-4o"]})
    assert run.state == "failed"
    (call,) = [ti for ti in run.get_task_instances() if ti.task_id == "process_cell.call_ai"]
    assert (call.state, call.try_number) == ("failed", 1)
    assert local.runs == []
    with demo_db.transaction() as s:
        cell = s.scalars(select(QueueCell)).one()
    assert cell.failed_step == "call_ai"
    assert "Unable to describe task definition" in (cell.error or "") and "Not retried: ECS refused" in (
        cell.error or ""
    )


def test_running_a_dag_run_again_on_ecs_restarts_the_containers_without_new_rows(
    demo_db: Database, fargate: Callable[..., LocalFargate], on_fargate: Callable[..., Any]
) -> None:
    from datetime import UTC, datetime

    from tests.helpers import row_counts

    local = fargate()
    dag = on_fargate(local)
    when = datetime(2026, 11, 3, 6, 0, tzinfo=UTC)
    conf = {**CONF, "models": ["gpt-4o"]}
    assert dag.test(logical_date=when, run_after=when, run_conf=conf).state == "success"
    before = row_counts(demo_db)
    assert dag.test(logical_date=when, run_after=when, run_conf=conf).state == "success"
    assert row_counts(demo_db) == before
    assert len(local.runs) == 2 * len(STEPS)


def test_deferrable_mode_waits_for_the_task_in_the_triggerer(
    demo_db: Database,
    fargate: Callable[..., LocalFargate],
    on_fargate: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from airflow.providers.amazon.aws.triggers.ecs import TaskDoneTrigger

    waited: list[str] = []
    original = TaskDoneTrigger.run

    def counting_run(self: Any) -> Any:
        waited.append(self.task_arn)
        return original(self)

    monkeypatch.setattr(TaskDoneTrigger, "run", counting_run)
    local = fargate(server=True)  # aiobotocore, used by the trigger, talks to moto over HTTP
    monkeypatch.setenv("AI_VISIBILITY_ECS_DEFERRABLE", "true")
    dag = on_fargate(local)
    assert dag.get_task("process_cell.call_ai").deferrable
    run = dag.test(run_conf={**CONF, "models": ["gpt-4o"]})
    assert run.state == "success"
    assert len(local.runs) == len(STEPS)
    assert len(waited) == len(STEPS)  # each step's ECS task was awaited by the trigger, not by the worker
