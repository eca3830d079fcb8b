"""What every micro-step receives besides the database and the cell key: how to reach AI endpoints,
the deadline of an AI call, and which extraction mode to use."""

from __future__ import annotations

from dataclasses import dataclass, field

from ai_visibility.ai.endpoint import EndpointResolver
from ai_visibility.settings import ExtractionSettings
from ai_visibility.steps.llm_extraction import LlmExtractor


@dataclass(frozen=True)
class StepContext:
    resolve_endpoint: EndpointResolver
    ai_deadline_s: float
    extraction: ExtractionSettings = field(default_factory=ExtractionSettings)

    def extractor(self) -> LlmExtractor | None:
        """The extraction model in `llm` mode; None in `rules` mode."""
        if self.extraction.mode != "llm":
            return None
        conn_id, api_model = self.extraction.conn_id or "", self.extraction.api_model or ""
        return LlmExtractor(self.resolve_endpoint(conn_id), api_model, self.ai_deadline_s)
