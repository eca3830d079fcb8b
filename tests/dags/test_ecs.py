"""What an ECS step task sends: the step's command and settings in the overrides, never a secret,
and a time limit that leaves Fargate room to start the container."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from ai_visibility.settings import Settings
from ai_visibility_airflow.ecs import container_overrides, ecs_step_task

FAKE_KEY = "sk-proj-FAKEKEY0123456789abcdef"
CELL = {"cell_key": "brightpath:best-crm-startups:gpt-4o:US", "label": "best-crm-startups · gpt-4o · US"}


@pytest.fixture
def production_like(monkeypatch: pytest.MonkeyPatch) -> None:
    """An Airflow worker's environment: step settings, plus connections that hold keys."""
    for name, value in {
        "AI_VISIBILITY_EXECUTION": "ecs",
        "AI_VISIBILITY_DB_CONN_ID": "ai_visibility_db_prod",
        "AI_VISIBILITY_STEP_TIMEOUT_S": "45",
        "AI_VISIBILITY_EXTRACTION_MODE": "llm",
        "AI_VISIBILITY_EXTRACTION_CONN_ID": "openai_extraction",
        "AI_VISIBILITY_EXTRACTION_MODEL": "gpt-4o-mini",
        "AI_VISIBILITY_PUSH_TO": "webhook:ai_visibility_webhook",
        "AI_VISIBILITY_DATABASE_URL": f"postgresql+psycopg://app:{FAKE_KEY}@db.internal/app",
        "AIRFLOW_CONN_OPENAI_EXTRACTION": json.dumps(
            {"conn_type": "openai", "host": "https://api.openai.com/v1", "password": FAKE_KEY}
        ),
        "AIRFLOW_CONN_AI_VISIBILITY_DB_PROD": json.dumps({"conn_type": "postgres", "password": FAKE_KEY}),
        "OPENAI_API_KEY": FAKE_KEY,
    }.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("production_like")
def test_the_container_gets_the_settings_that_shape_its_step_and_no_secret() -> None:
    overrides = container_overrides("ai-visibility-step", "extract_claims", CELL["cell_key"], Settings.from_env())

    (container,) = overrides["containerOverrides"]
    assert container["name"] == "ai-visibility-step"
    assert container["command"] == ["ai-visibility", "step", "extract_claims", "--cell", CELL["cell_key"]]
    assert {e["name"]: e["value"] for e in container["environment"]} == {
        "AI_VISIBILITY_DB_CONN_ID": "ai_visibility_db_prod",
        "AI_VISIBILITY_STEP_TIMEOUT_S": "45",
        "AI_VISIBILITY_EXTRACTION_MODE": "llm",
        "AI_VISIBILITY_EXTRACTION_CONN_ID": "openai_extraction",
        "AI_VISIBILITY_EXTRACTION_MODEL": "gpt-4o-mini",
        "AI_VISIBILITY_BREAKER_FAILURES": "3",
        "AI_VISIBILITY_BREAKER_COOLDOWN_S": "60",
    }
    assert "FAKEKEY" not in json.dumps(overrides)


@pytest.mark.usefixtures("production_like")
def test_the_task_builds_its_overrides_when_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: dict[str, Any] = {}
    monkeypatch.setattr(
        "airflow.providers.amazon.aws.operators.ecs.EcsRunTaskOperator.execute",
        lambda self, context: sent.update(self.overrides),
    )
    task = ecs_step_task("call_ai", Settings.from_env())(CELL)
    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "30")  # as a worker with newer settings sees it

    task.execute({})

    (container,) = sent["containerOverrides"]
    assert {"name": "AI_VISIBILITY_STEP_TIMEOUT_S", "value": "30"} in container["environment"]
    assert "FAKEKEY" not in json.dumps(sent)


def test_the_time_limit_covers_fargate_start_up_plus_the_steps_work(monkeypatch: pytest.MonkeyPatch) -> None:
    def limit() -> timedelta | None:
        return ecs_step_task("call_ai", Settings.from_env())(CELL).execution_timeout

    monkeypatch.setenv("AI_VISIBILITY_STEP_TIMEOUT_S", "60")
    assert limit() == timedelta(seconds=60 + 120)
    monkeypatch.setenv("AI_VISIBILITY_ECS_STARTUP_S", "45")
    assert limit() == timedelta(seconds=60 + 45)


def test_a_startup_allowance_that_is_not_a_number_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_VISIBILITY_ECS_STARTUP_S", "2m")
    with pytest.raises(ValueError, match=r"AI_VISIBILITY_ECS_STARTUP_S='2m' must be a whole number"):
        Settings.from_env()


@pytest.mark.parametrize(
    ("failure", "exit_codes", "permanent"),
    [
        ("ClientException", set(), True),
        ("ThrottlingException", set(), False),
        ("ServerException", set(), False),
        ("CannotPullContainerError: failed to resolve ref registry/ai-visibility:v9: not found", set(), True),
        ("CannotPullContainerError: dial tcp 52.94.1.1:443: i/o timeout", set(), False),
        ("ResourceInitializationError: unable to pull secrets or registry auth", set(), False),
        ("This task is not in success state", {2}, True),
        ("This task is not in success state", {1}, False),
        ("This task is not in success state", {137}, False),  # killed (out of memory): may pass next time
    ],
)
def test_only_failures_a_retry_cannot_fix_skip_the_retries(failure: str, exit_codes: set[int], permanent: bool) -> None:
    from airflow.providers.amazon.aws.exceptions import EcsTaskFailToStart
    from airflow.sdk.exceptions import AirflowException
    from botocore.exceptions import ClientError

    from ai_visibility_airflow.ecs import permanent_failure

    exc: Exception
    if failure.endswith("Exception"):
        exc = ClientError({"Error": {"Code": failure, "Message": "..."}}, "RunTask")
    elif ":" in failure:
        exc = EcsTaskFailToStart(f"The task failed to start due to: {failure}")
    else:
        exc = AirflowException(failure)
    assert (permanent_failure(exc, exit_codes) is not None) == permanent
