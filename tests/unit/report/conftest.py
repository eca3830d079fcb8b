"""Analytics documents of two demo-org queues, as the pipeline stores them, and helpers that read the
charts back out of a report page."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility.db import Database
from ai_visibility.db.migrate import upgrade
from ai_visibility.db.models import ProcessingQueue
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.org_spec import read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.steps.cell_status import record_failure_from_outside
from tests.helpers import analytics_document, queue_cells, run_cells

CONF = {
    "org_id": "brightpath",
    "questions": ["best-crm-startups", "hubspot-alternatives"],
    "locations": ["US", "GB-london"],
}
FAILURE = "provider answered HTTP 429: rate limited, retry after 20s"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="package")
def two_queues(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """The documents of two runs of 12 cells each; the second's last cell failed at the AI call."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report')}/app.db"
    upgrade(url)
    db = Database(url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    documents = []
    for run_id in ("manual__first", "manual__second"):
        keys = [c["cell_key"] for c in queue_cells(db, CONF, run_id)]
        if run_id == "manual__second":
            run_cells(db, keys[:-1])
            record_failure_from_outside(db, keys[-1], "call_ai", FAILURE)
        else:
            run_cells(db, keys)
        with db.transaction() as s:
            queue = s.scalars(select(ProcessingQueue.id).where(ProcessingQueue.dag_run_id == run_id)).one()
        documents.append(analytics_document(db, queue))
    return documents[0], documents[1]


@pytest.fixture
def document(two_queues: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    """The second queue's document (a trend against the first, one failed cell), safe to change."""
    return copy.deepcopy(two_queues[1])


def with_history_and_segments(document: dict[str, Any], earlier: dict[str, Any]) -> dict[str, Any]:
    """The document as the history and segments blocks extend it: `history.queues` oldest first,
    `by_model_location`, and trend figures that say whether they are beyond noise."""
    extended = copy.deepcopy(document)

    def point(doc: dict[str, Any]) -> dict[str, Any]:
        overall = doc["overall"]
        return {
            "queue_id": doc["queue"]["id"],
            "created_at": doc["queue"]["created_at"],
            "extraction_version": doc["extraction_versions"][0],
            "n": overall["n"],
            "visibility": {"rate": overall["visibility"]["rate"], "ci95": overall["visibility"]["ci95"]},
            "share_of_voice": {"mean": overall["share_of_voice"]["mean"]},
            "rank": {"mean": overall["rank"]["mean"]},
            "sentiment": {"net": overall["sentiment"]["net"]},
        }

    older = copy.deepcopy(point(earlier))
    older.update(queue_id="q_older", created_at="2026-11-01T06:00:00+00:00")
    older["visibility"] = {"rate": 0.25, "ci95": [0.1, 0.5]}
    extended["history"] = {"queues": [older, point(earlier), point(document)]}
    extended["by_model_location"] = {
        model: {location: copy.deepcopy(block) for location in document["by_location"]}
        for model, block in document["by_model"].items()
    }
    extended["trend"]["visibility"].update(change=0.12, beyond_noise=True)
    extended["trend"]["share_of_voice"].update(change=-3.5, beyond_noise=False)
    return extended


def charts(page: str) -> dict[str, ET.Element]:
    """Each section's chart, parsed, by section id."""
    found = re.findall(r'<section id="([^"]+)"><h2>[^<]*</h2><div class="chart">(<svg.*?</svg>)</div>', page, re.S)
    return {section: ET.fromstring(svg) for section, svg in found}


def data_marks(svg: ET.Element) -> list[str]:
    """The labels of the chart's data marks (bars, points, cells, rules, texts; not axes or legends)."""
    return [
        mark.get("aria-label", mark.text or "")
        for group in svg.iter(f"{SVG}g")
        if "role-mark" in (group.get("class") or "")
        for mark in group
        if mark.get("role") == "graphics-symbol"
    ]


def legend(svg: ET.Element) -> list[tuple[str, str]]:
    """The chart's legend entries in order: (label, colour of its swatch)."""
    entries = []
    for entry in svg.iter(f"{SVG}g"):
        if "role-legend-entry" not in (entry.get("class") or ""):
            continue
        swatches = [g for g in entry.iter(f"{SVG}g") if "role-legend-symbol" in (g.get("class") or "")]
        labels = [g for g in entry.iter(f"{SVG}g") if "role-legend-label" in (g.get("class") or "")]
        for swatch, label in zip(swatches, labels, strict=True):
            shape = swatch.find(f"{SVG}path")
            assert shape is not None
            entries.append((label.findtext(f"{SVG}text") or "", shape.get("fill", "")))
    return entries


def field(mark: str, name: str) -> str:
    """One field of a data mark's label, e.g. `brand` of "share: 20.5; brand: HubSpot; kind: ..."."""
    found = re.search(rf"(?:^|; ){name}: ([^;]*)", mark)
    assert found, f"{name!r} is not in {mark!r}"
    return found.group(1)


def write(page: str, folder: Path) -> Path:
    path = folder / "report.html"
    path.write_text(page)
    return path


def as_older(document: dict[str, Any]) -> dict[str, Any]:
    """The document as schema 1.4 wrote it: no history, segments, gaps, per-engine citations or noise."""
    older = copy.deepcopy(document)
    for block in ("gaps", "history", "by_model_location", "by_tag", "by_branded", "samples"):
        older.pop(block, None)
    older["citations"].pop("by_model", None)
    for figure in older.get("trend", {}).values():
        if isinstance(figure, dict):
            figure.pop("beyond_noise", None)
            figure.pop("points", None)
    return older
