"""What the org DAGs share: retries of their tasks and the org parameter of their trigger form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import Param

from ai_visibility.settings import Settings


def retry_args(settings: Settings) -> dict[str, Any]:
    """Retries with exponential backoff: transient failures heal without anyone clearing a task."""
    return {
        "retries": settings.step_retries,
        "retry_delay": timedelta(seconds=5),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=2),
    }


def org_param(settings: Settings, what: str) -> Param:
    return Param(
        settings.default_org,
        type="string",
        minLength=1,
        title="Organization",
        description_md=f"Id of the org {what}, as stored in the app database. The default comes from "
        "`AI_VISIBILITY_DEFAULT_ORG` (the demo org `brightpath` unless set).",
    )
