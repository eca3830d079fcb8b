"""The `process_org` run conf, validated with messages that name the field and the fix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ai_visibility.errors import InputError
from ai_visibility.org_spec import MAX_CELLS_PER_TASK, MAX_SAMPLES


class RunConf(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    org_id: str = Field(min_length=1)
    questions: list[str] | None = None
    models: list[str] | None = None
    locations: list[str] | None = None
    budget_usd: float | None = Field(None, ge=0)
    # None: the org's own samples per cell. Strict, so `true` is not read as 1.
    samples: int | None = Field(None, ge=1, le=MAX_SAMPLES, strict=True)
    # None: the org's own setting. Strict like samples: `true` or "5" is refused, not read as 1 or 5.
    cells_per_task: int | None = Field(None, ge=1, le=MAX_CELLS_PER_TASK, strict=True)

    @field_validator("questions", "models", "locations")
    @classmethod
    def _without_blank_lines(cls, keys: list[str] | None) -> list[str] | None:
        """The trigger form sends a list field's lines: a trailing newline adds "", a field cleared
        without leaving it sends [""]. Blank lines are no keys, and a list of only those is the
        field left empty: every one. An explicit [] is left for the queue to refuse."""
        if not keys:
            return keys
        kept = [key.strip() for key in keys if key.strip()]
        return kept or None


def parse_run_conf(conf: Mapping[str, Any]) -> RunConf:
    try:
        return RunConf.model_validate(dict(conf))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'conf'}: {err['msg']}" for err in exc.errors())
        raise InputError(
            f'invalid process_org conf ({problems}); expected {{"org_id": "<org>"}} plus optional lists '
            '"questions", "models", "locations" of keys that narrow the run, "budget_usd" (a number), '
            f'"samples" (a whole number from 1 to {MAX_SAMPLES}: answers asked per cell) and '
            f'"cells_per_task" (a whole number from 1 to {MAX_CELLS_PER_TASK})'
        ) from None
