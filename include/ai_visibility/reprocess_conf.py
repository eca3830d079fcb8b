"""The `reprocess_org` run conf, validated with messages that name the field and the fix."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ai_visibility.errors import InputError

EXPECTED = (
    'expected {"org_id": "<org>"} plus either "queues" (a list of queue ids) or a date range '
    '"since" and/or "until" (YYYY-MM-DD, UTC, inclusive) of the queues to reprocess'
)


class ReprocessConf(BaseModel):
    """Which stored queues of one org to re-extract: named by id, or those created in a date range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    org_id: str = Field(min_length=1)
    queues: list[str] | None = None
    since: date | None = None
    until: date | None = None

    def created_from(self) -> datetime | None:
        """The first instant of `since` (UTC), when set."""
        return datetime.combine(self.since, time(), UTC) if self.since else None

    def created_before(self) -> datetime | None:
        """The first instant after `until` (UTC), when set: `until` is inclusive."""
        return datetime.combine(self.until + timedelta(days=1), time(), UTC) if self.until else None


def parse_reprocess_conf(conf: Mapping[str, Any]) -> ReprocessConf:
    try:
        parsed = ReprocessConf.model_validate(dict(conf))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'conf'}: {err['msg']}" for err in exc.errors())
        raise InputError(f"invalid reprocess_org conf ({problems}); {EXPECTED}") from None
    by_date = parsed.since is not None or parsed.until is not None
    if parsed.queues is not None and by_date:
        raise InputError(
            "conf.queues and conf.since/conf.until are both set: select the queues by id or by date, not both"
        )
    if parsed.queues is None and not by_date:
        raise InputError(f"reprocess_org conf selects no queues; {EXPECTED}")
    if parsed.queues == []:
        raise InputError("conf.queues is an empty list: name at least one queue id, or select by date instead")
    if parsed.since and parsed.until and parsed.since > parsed.until:
        raise InputError(
            f"conf.since {parsed.since} is after conf.until {parsed.until}: swap them (both dates are inclusive)"
        )
    return parsed
