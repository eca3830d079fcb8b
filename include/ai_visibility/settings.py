"""Runtime settings, read from the environment in one place and passed to the code as arguments.

Reading them costs no I/O, so the DAG may read the few that shape its tasks at parse time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

AI_DEADLINE_MARGIN_S = 5
EXECUTION_MODES = ("local", "ecs")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"environment variable {name}={raw!r} must be a whole number") from None


def _list(name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in os.environ.get(name, "").replace(",", " ").split() if p.strip())


@dataclass(frozen=True)
class EcsSettings:
    """Where and how the micro-steps run on ECS Fargate (`AI_VISIBILITY_ECS_*`)."""

    cluster: str = "ai-visibility"
    task_definition: str = "ai-visibility-step"
    container: str = "ai-visibility-step"
    subnets: tuple[str, ...] = ()
    security_groups: tuple[str, ...] = ()
    assign_public_ip: bool = False
    log_group: str = "/ecs/ai-visibility-step"
    log_stream_prefix: str = "ai-visibility"
    region: str | None = None
    aws_conn_id: str | None = "aws_default"
    deferrable: bool = False
    waiter_delay_s: int = 6
    startup_s: int = 120  # Fargate's provisioning, image pull and start, on top of the step's own budget

    @classmethod
    def from_env(cls) -> EcsSettings:
        env = os.environ.get
        return cls(
            cluster=env("AI_VISIBILITY_ECS_CLUSTER", cls.cluster),
            task_definition=env("AI_VISIBILITY_ECS_TASK_DEFINITION", cls.task_definition),
            container=env("AI_VISIBILITY_ECS_CONTAINER", cls.container),
            subnets=_list("AI_VISIBILITY_ECS_SUBNETS"),
            security_groups=_list("AI_VISIBILITY_ECS_SECURITY_GROUPS"),
            assign_public_ip=env("AI_VISIBILITY_ECS_ASSIGN_PUBLIC_IP", "false").lower() == "true",
            log_group=env("AI_VISIBILITY_ECS_LOG_GROUP", cls.log_group),
            log_stream_prefix=env("AI_VISIBILITY_ECS_LOG_STREAM_PREFIX", cls.log_stream_prefix),
            region=env("AI_VISIBILITY_ECS_REGION") or None,
            aws_conn_id=env("AI_VISIBILITY_AWS_CONN_ID", "aws_default") or None,
            deferrable=env("AI_VISIBILITY_ECS_DEFERRABLE", "false").lower() == "true",
            waiter_delay_s=_int("AI_VISIBILITY_ECS_WAITER_DELAY_S", cls.waiter_delay_s),
            startup_s=_int("AI_VISIBILITY_ECS_STARTUP_S", cls.startup_s),
        )


@dataclass(frozen=True)
class ExtractionSettings:
    """`rules` (default: free, deterministic, offline) or `llm` on an extraction model."""

    mode: str = "rules"
    conn_id: str | None = None
    api_model: str | None = None

    @classmethod
    def from_env(cls) -> ExtractionSettings:
        mode = os.environ.get("AI_VISIBILITY_EXTRACTION_MODE", "rules").strip().lower() or "rules"
        if mode not in ("rules", "llm"):
            raise ValueError(f"AI_VISIBILITY_EXTRACTION_MODE={mode!r}: use rules or llm")
        settings = cls(
            mode,
            os.environ.get("AI_VISIBILITY_EXTRACTION_CONN_ID") or None,
            os.environ.get("AI_VISIBILITY_EXTRACTION_MODEL") or None,
        )
        if mode == "llm" and not (settings.conn_id and settings.api_model):
            raise ValueError(
                "AI_VISIBILITY_EXTRACTION_MODE=llm needs AI_VISIBILITY_EXTRACTION_CONN_ID (an openai "
                "connection) and AI_VISIBILITY_EXTRACTION_MODEL (e.g. gpt-4o-mini)"
            )
        return settings


@dataclass(frozen=True)
class BreakerSettings:
    """When a provider's remaining calls in a run fail fast (`AI_VISIBILITY_BREAKER_*`): after
    `failures` consecutive failed calls of the same kind, until a trial call `cooldown_s` later succeeds."""

    failures: int = 3
    cooldown_s: int = 60

    @classmethod
    def from_env(cls) -> BreakerSettings:
        failures = _int("AI_VISIBILITY_BREAKER_FAILURES", cls.failures)
        cooldown_s = _int("AI_VISIBILITY_BREAKER_COOLDOWN_S", cls.cooldown_s)
        if failures < 1:
            raise ValueError(f"AI_VISIBILITY_BREAKER_FAILURES={failures}: use 1 or more consecutive failures")
        if cooldown_s < 0:
            raise ValueError(f"AI_VISIBILITY_BREAKER_COOLDOWN_S={cooldown_s}: use 0 or more seconds")
        return cls(failures, cooldown_s)


@dataclass(frozen=True)
class Settings:
    """What an operator tunes. Every field is an `AI_VISIBILITY_*` environment variable."""

    db_conn_id: str = "ai_visibility_db"
    default_org: str = "brightpath"
    push_to: tuple[str, ...] = field(default_factory=tuple)
    step_timeout_s: int = 60
    ai_concurrency: int = 3
    step_retries: int = 2
    execution: str = "local"
    schedule_cron: str = "0 6 * * *"
    ecs: EcsSettings = field(default_factory=EcsSettings)
    extraction: ExtractionSettings = field(default_factory=ExtractionSettings)
    breaker: BreakerSettings = field(default_factory=BreakerSettings)
    source_kinds_file: str | None = None

    @property
    def ai_deadline_s(self) -> float:
        """The AI call's own deadline: inside the step's limit, so it fails with its reason, not a kill."""
        return max(1.0, self.step_timeout_s - AI_DEADLINE_MARGIN_S)

    def step_environment(self) -> dict[str, str]:
        """The settings that shape a micro-step, as the variables a step container reads, so it works
        as the DAG's own worker would. Names and numbers only: keys and connections reach the
        container as secrets of its task definition, never through here."""
        environment = {
            "AI_VISIBILITY_DB_CONN_ID": self.db_conn_id,
            "AI_VISIBILITY_STEP_TIMEOUT_S": str(self.step_timeout_s),
            "AI_VISIBILITY_EXTRACTION_MODE": self.extraction.mode,
            "AI_VISIBILITY_BREAKER_FAILURES": str(self.breaker.failures),
            "AI_VISIBILITY_BREAKER_COOLDOWN_S": str(self.breaker.cooldown_s),
        }
        if self.extraction.conn_id:
            environment["AI_VISIBILITY_EXTRACTION_CONN_ID"] = self.extraction.conn_id
        if self.extraction.api_model:
            environment["AI_VISIBILITY_EXTRACTION_MODEL"] = self.extraction.api_model
        return environment

    @classmethod
    def from_env(cls) -> Settings:
        execution = os.environ.get("AI_VISIBILITY_EXECUTION", "local").strip().lower() or "local"
        if execution not in EXECUTION_MODES:
            raise ValueError(f"AI_VISIBILITY_EXECUTION={execution!r}: use one of {list(EXECUTION_MODES)}")
        return cls(
            db_conn_id=os.environ.get("AI_VISIBILITY_DB_CONN_ID", "ai_visibility_db"),
            default_org=os.environ.get("AI_VISIBILITY_DEFAULT_ORG", "brightpath"),
            push_to=_list("AI_VISIBILITY_PUSH_TO"),
            step_timeout_s=_int("AI_VISIBILITY_STEP_TIMEOUT_S", 60),
            ai_concurrency=_int("AI_VISIBILITY_AI_CONCURRENCY", 3),
            step_retries=_int("AI_VISIBILITY_STEP_RETRIES", 2),
            execution=execution,
            schedule_cron=os.environ.get("AI_VISIBILITY_SCHEDULE_CRON") or cls.schedule_cron,
            ecs=EcsSettings.from_env(),
            extraction=ExtractionSettings.from_env(),
            breaker=BreakerSettings.from_env(),
            source_kinds_file=os.environ.get("AI_VISIBILITY_SOURCE_KINDS_FILE") or None,
        )
