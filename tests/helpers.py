"""Helpers shared by the tests: the demo org as extraction sees it, fixture answers, the simulator endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.extraction.brands import Brand, OrgView, generated_aliases, make_brand
from ai_visibility.org_spec import read_org_file

ANSWERS = Path(__file__).parent / "fixtures" / "answers"


def demo_org_view() -> OrgView:
    """The demo org as `read_org` builds it, without a database."""
    spec = read_org_file(DEMO_ORG_FILE)
    names = [spec.name, *(c.name for c in spec.competitors)]

    def brand(key: str, name: str, kind: str, websites: list[str], aliases: list[str], negative: list[str]) -> Brand:
        return make_brand(key, name, kind, websites, [*generated_aliases(name, websites, names), *aliases], negative)

    return OrgView(
        id=spec.id,
        name=spec.name,
        target=brand(spec.id, spec.name, "target", spec.websites, spec.aliases, spec.negative_terms),
        competitors=tuple(
            brand(c.key, c.name, "competitor", c.websites, c.aliases, c.negative_terms) for c in spec.competitors
        ),
    )


def answer(name: str) -> str:
    return (ANSWERS / f"{name}.md").read_text()


def raw_response(name: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((ANSWERS / f"{name}.json").read_text())
    raw["choices"][0]["message"]["content"] = answer(name)
    return raw


def simulator_endpoints(**config: Any) -> Any:
    """An endpoint resolver that sends every connection to the in-process simulator."""
    return lambda conn_id: Endpoint.from_connection(
        conn_id, "http://simulator.local/v1", "sk-test", {"simulator": config}
    )
