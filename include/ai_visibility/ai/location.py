"""How a location reaches the engine: a native request parameter where the engine has one, else a prompt prefix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ai_visibility.db.models import AIModel, Location

COUNTRY_NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Germany",
    "FR": "France",
    "CA": "Canada",
    "AU": "Australia",
    "IN": "India",
    "ES": "Spain",
    "IT": "Italy",
    "NL": "Netherlands",
    "JP": "Japan",
    "BR": "Brazil",
    "MX": "Mexico",
    "IE": "Ireland",
    "SE": "Sweden",
    "SG": "Singapore",
}


@dataclass(frozen=True)
class AppliedLocation:
    method: str  # native | prompt
    prompt_prefix: str
    request_fields: dict[str, Any]
    applied: dict[str, Any]


def requested(location: Location) -> dict[str, Any]:
    return {
        k: v
        for k, v in {
            "country": location.country,
            "region": location.region,
            "city": location.city,
            "language": location.language,
        }.items()
        if v
    }


def apply_location(model: AIModel, location: Location) -> AppliedLocation:
    want = requested(location)
    place = {k: v for k, v in want.items() if k != "language"}
    if model.location_method == "native" and model.provider == "openai" and model.web_search:
        body = {"web_search_options": {"user_location": {"type": "approximate", "approximate": place}}}
        return AppliedLocation("native", "", body, place)
    if model.location_method == "native" and model.provider == "perplexity":
        return AppliedLocation("native", "", {"web_search_options": {"user_location": place}}, place)
    where = ", ".join(
        p for p in (location.city, location.region, COUNTRY_NAMES.get(location.country, location.country)) if p
    )
    prefix = f"I am located in {where}."
    if location.language:
        prefix += f" Answer in the language with code {location.language}."
    return AppliedLocation("prompt", prefix + "\n\n", {}, want)
