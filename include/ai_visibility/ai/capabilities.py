"""What each engine accepts, so a request carries only parameters the model takes.

Capabilities are decided by explicit model families, never guessed from prices or names elsewhere.
"""

from __future__ import annotations

# Reasoning models reject sampling parameters and take max_completion_tokens.
REASONING_FAMILIES = ("gpt-5", "o1", "o3", "o4")
# OpenAI's search-preview chat models reject sampling parameters too.
NO_SAMPLING_MARKERS = ("-search-preview", "-search-api")


def is_reasoning_model(api_model: str) -> bool:
    name = api_model.rsplit("/", maxsplit=1)[-1].lower()
    return any(name == family or name.startswith(family + "-") for family in REASONING_FAMILIES)


def accepts_temperature(api_model: str) -> bool:
    name = api_model.lower()
    return not is_reasoning_model(api_model) and not any(marker in name for marker in NO_SAMPLING_MARKERS)


def native_location_supported(provider: str, api_style: str, web_search: bool) -> bool:
    """OpenAI search (chat `web_search_options` or the Responses `web_search` tool) and Perplexity."""
    return (provider == "openai" and web_search) or (provider == "perplexity" and api_style == "chat_completions")
