"""How a location reaches the engine: its native parameter where it has one, else a prompt prefix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ai_visibility.ai.capabilities import native_location_supported
from ai_visibility.ai.views import LocationView, ModelView

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
    native: dict[str, Any] | None  # the place in the engine's own fields, when applied natively
    applied: dict[str, Any]  # what the engine was actually given


def requested(location: LocationView) -> dict[str, Any]:
    fields = {
        "country": location.country,
        "region": location.region,
        "city": location.city,
        "timezone": location.timezone,
        "language": location.language,
    }
    return {k: v for k, v in fields.items() if v}


def apply_location(model: ModelView, location: LocationView) -> AppliedLocation:
    want = requested(location)
    if model.location_method == "native" and native_location_supported(
        model.provider, model.api_style, model.web_search
    ):
        keep = (
            ("country", "region", "city", "timezone") if model.provider == "openai" else ("country", "region", "city")
        )
        place = {k: v for k, v in want.items() if k in keep}
        return AppliedLocation("native", "", place, place)
    where = ", ".join(
        p for p in (location.city, location.region, COUNTRY_NAMES.get(location.country, location.country)) if p
    )
    prefix = f"I am located in {where}."
    if location.language:
        prefix += f" Answer in the language with code {location.language}."
    return AppliedLocation("prompt", prefix + "\n\n", None, {**want, "prompt_prefix": prefix})
