"""What every micro-step receives besides the database and the cell key: how to reach AI endpoints,
the deadline of an AI call, which extraction mode to use, when a provider's breaker opens, the
step's time limit, when a try a user cleared started, the clocks and the sleep (injectable, so
tests of cool-downs and of retries within an AI call's deadline need no sleeps and no race with the
wall clock), and in a group, the reads its cells share."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ai_visibility.ai.endpoint import EndpointResolver
from ai_visibility.settings import BreakerSettings, ExtractionSettings

if TYPE_CHECKING:
    from ai_visibility.steps.group_reads import GroupReads
    from ai_visibility.steps.llm_extraction import LlmExtractor


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class StepContext:
    resolve_endpoint: EndpointResolver
    ai_deadline_s: float
    extraction: ExtractionSettings = field(default_factory=ExtractionSettings)
    breaker: BreakerSettings = field(default_factory=BreakerSettings)
    step_timeout_s: float | None = None
    # When this try started, if a user cleared the task (None for a scheduled try or an automatic
    # retry): a provider's breaker that opened before then lets it make its trial call at once.
    cleared_at: datetime | None = None
    now: Callable[[], datetime] = field(default_factory=lambda: utc_now)
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic  # what an AI call's deadline is measured on
    # What a group's cells read alike, read once for the group's step (None: each cell reads its own).
    reads: GroupReads | None = None

    def extractor(self) -> LlmExtractor | None:
        """The extraction model in `llm` mode; None in `rules` mode."""
        if self.extraction.mode != "llm":
            return None
        from ai_visibility.steps.llm_extraction import LlmExtractor

        conn_id, api_model = self.extraction.conn_id or "", self.extraction.api_model or ""
        return LlmExtractor(self.resolve_endpoint(conn_id), api_model, self.ai_deadline_s)
