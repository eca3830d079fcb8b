"""A cell's micro-step as an ECS Fargate task running `ai-visibility step STEP --cell KEY`.

The container reads its inputs from the app database and writes its outputs there (its app database
and AI keys come from Secrets Manager through the task definition, never from overrides), so the
overrides carry only the step name, the cell key and the non-secret settings that shape the step
(`Settings.step_environment`, read when the task runs, as a worker task reads them).

The task's `execution_timeout` is the step's budget plus `AI_VISIBILITY_ECS_STARTUP_S` for Fargate to
start the container; the container still stops its own work within the step's budget.

A failure that a retry cannot fix fails the Airflow task without its retries, as in the worker: the
step exited with `PERMANENT_EXIT_CODE` (bad input, a provider whose breaker is open), ECS refused the
request itself (a task definition or cluster that does not exist, a bad parameter, no permission),
or the image cannot be pulled at all (a wrong name or tag, no access).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from airflow.providers.amazon.aws.exceptions import EcsTaskFailToStart
from airflow.providers.amazon.aws.operators.ecs import EcsRunTaskOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from botocore.exceptions import ClientError

from ai_visibility.errors import PERMANENT_EXIT_CODE
from ai_visibility.settings import Settings
from ai_visibility.steps.cell_status import record_failure_from_outside
from ai_visibility_airflow.connections import app_db

# ECS errors about the request itself: the same request is refused again. (Throttling and server
# errors are not here: a retry may get through.)
PERMANENT_API_ERRORS = frozenset(
    {
        "AccessDeniedException",
        "ClientException",  # e.g. "Unable to describe task definition."
        "ClusterNotFoundException",
        "InvalidParameterException",
        "PlatformUnknownException",
        "UnsupportedFeatureException",
    }
)
# How a pull of an image that does not exist or may not be read ends; a registry briefly out of
# reach ends otherwise, and is retried.
PERMANENT_PULL_FAILURES = (
    "not found",
    "manifest unknown",
    "pull access denied",
    "repository does not exist",
    "invalid reference format",
)


def permanent_failure(exc: BaseException, exit_codes: set[int]) -> str | None:
    """Why the ECS task's failure cannot be fixed by running it again, or None when it may be."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        return f"ECS refused the task ({code})" if code in PERMANENT_API_ERRORS else None
    if isinstance(exc, EcsTaskFailToStart):
        reason = str(exc).lower()
        return "its image cannot be pulled" if any(p in reason for p in PERMANENT_PULL_FAILURES) else None
    if PERMANENT_EXIT_CODE in exit_codes:
        return f"the step exited with code {PERMANENT_EXIT_CODE}, a failure that a retry cannot fix"
    return None


def step_command(step: str, cell_key: str) -> list[str]:
    return ["ai-visibility", "step", step, "--cell", cell_key]


def container_overrides(container: str | None, step: str, cell_key: str, settings: Settings) -> dict[str, Any]:
    """What one cell's task changes in the task definition: the command, and the step's settings."""
    environment = [{"name": name, "value": value} for name, value in settings.step_environment().items()]
    return {
        "containerOverrides": [{"name": container, "command": step_command(step, cell_key), "environment": environment}]
    }


class CellStepOnEcs(EcsRunTaskOperator):
    """EcsRunTaskOperator for one cell of the mapped group; `cell` is the group's mapped argument."""

    template_fields: Sequence[str] = (*EcsRunTaskOperator.template_fields, "cell")

    def __init__(self, *, step: str, cell: Any, **kwargs: Any) -> None:
        super().__init__(overrides={}, **kwargs)
        self.step = step
        self.cell = cell

    def execute(self, context: Any) -> Any:
        self.overrides = container_overrides(self.container_name, self.step, self.cell["cell_key"], Settings.from_env())
        with self._no_retry_when_permanent():
            return super().execute(context)  # type: ignore[no-untyped-call]

    def execute_complete(self, context: Any, event: dict[str, Any] | None = None) -> Any:
        with self._no_retry_when_permanent():
            return super().execute_complete(context, event)

    @contextmanager
    def _no_retry_when_permanent(self) -> Iterator[None]:
        try:
            yield
        except AirflowFailException:
            raise
        except (ClientError, EcsTaskFailToStart, AirflowException) as exc:
            why = permanent_failure(exc, self._exit_codes())
            if why is None:
                raise
            raise AirflowFailException(f"{exc}\nNot retried: {why}.") from exc

    def _exit_codes(self) -> set[int]:
        """The exit codes of the task's stopped containers (none before it ran)."""
        if not self.arn:
            return set()
        client: Any = self.client
        described = client.describe_tasks(cluster=self.cluster, tasks=[self.arn])
        return {
            int(c["exitCode"])
            for task in described.get("tasks", [])
            for c in task.get("containers", [])
            if c.get("exitCode") is not None
        }


def _record_failure(context: Any) -> None:
    """When the container could not record its own failure (it never started, or was stopped)."""
    operator = context["task"]
    cell = getattr(operator, "cell", None)
    if isinstance(cell, dict) and "cell_key" in cell:
        reason = f"ECS task failed: {context.get('exception')}"
        record_failure_from_outside(app_db(), cell["cell_key"], operator.step, reason)


def ecs_step_task(step: str, settings: Settings, **options: Any) -> Callable[[Any], CellStepOnEcs]:
    ecs = settings.ecs
    vpc = {
        "subnets": list(ecs.subnets),
        "securityGroups": list(ecs.security_groups),
        "assignPublicIp": "ENABLED" if ecs.assign_public_ip else "DISABLED",
    }
    network = {"awsvpcConfiguration": vpc}
    # The step's own budget, plus the time Fargate takes to start the container.
    limit = timedelta(seconds=settings.step_timeout_s + ecs.startup_s)

    def make(cell: Any) -> CellStepOnEcs:
        return CellStepOnEcs(
            task_id=step,
            step=step,
            cell=cell,
            map_index_template="{{ task.cell['label'] }}",
            cluster=ecs.cluster,
            task_definition=ecs.task_definition,
            launch_type="FARGATE",
            network_configuration=network,
            container_name=ecs.container,
            awslogs_group=ecs.log_group,
            awslogs_stream_prefix=ecs.log_stream_prefix,
            awslogs_region=ecs.region,
            region_name=ecs.region,
            aws_conn_id=ecs.aws_conn_id,
            reattach=True,
            deferrable=ecs.deferrable,
            waiter_delay=ecs.waiter_delay_s,
            number_logs_exception=20,
            on_failure_callback=_record_failure,
            execution_timeout=limit,
            **options,
        )

    return make
