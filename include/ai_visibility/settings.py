"""Runtime settings, read from the environment in one place and passed to the code as arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"environment variable {name}={raw!r} must be a whole number") from None


AI_DEADLINE_MARGIN_S = 5


@dataclass(frozen=True)
class Settings:
    """What an operator tunes. Every field is an `AI_VISIBILITY_*` environment variable."""

    db_conn_id: str = "ai_visibility_db"
    push_to: tuple[str, ...] = field(default_factory=tuple)
    step_timeout_s: int = 60
    ai_concurrency: int = 3
    step_retries: int = 2

    @property
    def ai_deadline_s(self) -> float:
        """The AI call's own deadline: inside the step's limit, so it fails with its reason, not a kill."""
        return max(1.0, self.step_timeout_s - AI_DEADLINE_MARGIN_S)

    @classmethod
    def from_env(cls) -> Settings:
        push = os.environ.get("AI_VISIBILITY_PUSH_TO", "")
        return cls(
            db_conn_id=os.environ.get("AI_VISIBILITY_DB_CONN_ID", "ai_visibility_db"),
            push_to=tuple(p.strip() for p in push.replace(",", " ").split() if p.strip()),
            step_timeout_s=_int("AI_VISIBILITY_STEP_TIMEOUT_S", 60),
            ai_concurrency=_int("AI_VISIBILITY_AI_CONCURRENCY", 3),
            step_retries=_int("AI_VISIBILITY_STEP_RETRIES", 2),
        )
