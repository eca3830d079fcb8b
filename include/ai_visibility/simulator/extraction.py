"""The simulator's extraction model: answers `response_format: json_schema` requests (SYNTHETIC).

It reads the answer and brands the request carries and replies in the schema, deriving the content
with the project's rules, so the `llm` mode's code path (request, structured output, validation,
retry, fallback, billing) runs end to end without a real model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ai_visibility.extraction.brands import adhoc_org
from ai_visibility.extraction.claims import extract_claims
from ai_visibility.extraction.mentions import extract_mentions


def is_extraction(request: Mapping[str, Any]) -> bool:
    return (request.get("response_format") or {}).get("type") == "json_schema"


def extraction_content(request: Mapping[str, Any]) -> str:
    user = next(m["content"] for m in request["messages"] if m.get("role") == "user")
    payload = json.loads(user)
    brands = payload["brands"]
    org = adhoc_org(
        brands[0]["name"],
        brands[0]["aliases"],
        [f"https://{d}" for d in brands[0]["websites"]],
        [(b["name"], [f"https://{d}" for d in b["websites"]]) for b in brands[1:]],
    )
    answer = payload["answer"]
    if payload["task"] == "claims":
        return json.dumps(
            {"claims": [{"text": c.text, "sentiment": c.sentiment_label} for c in extract_claims(answer, org)]}
        )
    found = extract_mentions(answer, org)
    tracked = [m for m in found if m.brand_kind != "discovered"]
    return json.dumps(
        {
            "brands": [
                {
                    "name": m.brand_name,
                    "mentioned": m.mentioned,
                    "units": m.mention_text.split(" || ") if m.mention_text else [],
                    "sentiment": m.sentiment_label or "neutral",
                    "sentiment_score": m.sentiment_score or 0.0,
                    "role": m.role,
                }
                for m in tracked
            ],
            "other_brands": [m.brand_name for m in found if m.brand_kind == "discovered"],
        }
    )
