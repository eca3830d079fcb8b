"""The price table: exact model ids and explicit aliases, with web-search fees. No prefix guessing.

Prices are USD per million tokens and USD per search call. A model row's own prices override the
table (for negotiated rates or models the table does not list); local servers cost nothing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ai_visibility.ai.views import ModelView
from ai_visibility.errors import InputError

PRICE_TABLE_VERSION = "2026-11-01"


@dataclass(frozen=True)
class Price:
    input_per_mtok: float
    output_per_mtok: float
    search_per_call: float = 0.0
    source: str = f"table:{PRICE_TABLE_VERSION}"

    def cost(self, input_tokens: int, output_tokens: int, search_calls: int) -> float:
        total = input_tokens / 1e6 * self.input_per_mtok + output_tokens / 1e6 * self.output_per_mtok
        return round(total + search_calls * self.search_per_call, 6)


PRICES: dict[str, Price] = {
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o-search-preview": Price(2.50, 10.00, 0.025),
    "gpt-4o-mini-search-preview": Price(0.15, 0.60, 0.025),
    "gpt-4.1": Price(2.00, 8.00, 0.010),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.010),
    "gpt-5": Price(1.25, 10.00, 0.010),
    "gpt-5-mini": Price(0.25, 2.00, 0.010),
    "o4-mini": Price(1.10, 4.40, 0.010),
    "sonar": Price(1.00, 1.00, 0.005),
    "sonar-pro": Price(3.00, 15.00, 0.006),
    "sonar-reasoning-pro": Price(2.00, 8.00, 0.006),
    "gemini-2.5-flash": Price(0.30, 2.50),
    "gemini-2.5-pro": Price(1.25, 10.00),
    "claude-sonnet-4-5": Price(3.00, 15.00),
    "claude-haiku-4-5": Price(1.00, 5.00),
}

ALIASES: dict[str, str] = {
    "gpt-4o-2024-08-06": "gpt-4o",
    "gpt-4o-2024-11-20": "gpt-4o",
    "gpt-4o-mini-2024-07-18": "gpt-4o-mini",
    "gpt-4o-search-preview-2025-03-11": "gpt-4o-search-preview",
    "gpt-4o-mini-search-preview-2025-03-11": "gpt-4o-mini-search-preview",
    "gpt-5-2025-08-07": "gpt-5",
    "gpt-5-mini-2025-08-07": "gpt-5-mini",
    "o4-mini-2025-04-16": "o4-mini",
    "models/gemini-2.5-flash": "gemini-2.5-flash",
    "models/gemini-2.5-pro": "gemini-2.5-pro",
    "claude-sonnet-4-5-20250929": "claude-sonnet-4-5",
    "claude-haiku-4-5-20251001": "claude-haiku-4-5",
    "openai/gpt-4o": "gpt-4o",
    "openai/gpt-5": "gpt-5",
    "perplexity/sonar": "sonar",
    "google/gemini-2.5-flash": "gemini-2.5-flash",
    "anthropic/claude-sonnet-4.5": "claude-sonnet-4-5",
}


def table_price(api_model: str) -> Price | None:
    name = api_model.strip()
    return PRICES.get(name) or PRICES.get(ALIASES.get(name, ""))


def missing_price(model: ModelView) -> str | None:
    """Why a run of this model could not be costed, with the fix; None when it can (the row's own
    input and output prices, the table's price of its api_model, or a local server)."""
    if model.input_usd_per_mtok is not None and model.output_usd_per_mtok is not None:
        return None
    if table_price(model.api_model) is not None or model.provider == "local":
        return None
    close = difflib.get_close_matches(model.api_model.strip(), [*PRICES, *ALIASES], n=3, cutoff=0.6)
    known = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    return (
        f"{model.api_model!r} is not in the price table ({PRICE_TABLE_VERSION}), so a run of it cannot be costed: "
        f"{known}Use a priced api_model ({', '.join(PRICES)}), or give the model both input_usd_per_mtok and "
        "output_usd_per_mtok (USD per million tokens; search_usd_per_call for its web searches)"
    )


def price_for(model: ModelView) -> Price:
    """The model row's prices where given, else the table's; a model with neither is refused."""
    table = table_price(model.api_model)
    if model.input_usd_per_mtok is not None and model.output_usd_per_mtok is not None:
        search = model.search_usd_per_call
        if search is None:
            search = table.search_per_call if table else 0.0
        return Price(model.input_usd_per_mtok, model.output_usd_per_mtok, search, "model")
    if table is not None:
        if model.search_usd_per_call is not None:
            return Price(table.input_per_mtok, table.output_per_mtok, model.search_usd_per_call, table.source)
        return table
    if model.provider == "local":
        return Price(0.0, 0.0, 0.0, "local")
    # Only an org stored before org-apply checked prices gets here.
    raise InputError(f"model {model.key!r}: {missing_price(model)}")
