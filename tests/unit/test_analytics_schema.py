"""Every analytics document the product pushes validates against `docs/analytics.schema.json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select

from ai_visibility.analytics import SCHEMA_VERSION, generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import ProcessingQueue
from tests.analytics_rows import store_rows
from tests.helpers import ANALYTICS_SCHEMA, analytics_document, queue_cells, run_cells, schema_errors, stored_document

SCHEMA = json.loads(ANALYTICS_SCHEMA.read_text())


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{path}/{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{path}/{key}" if key not in ("properties",) else path)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{path}/{i}")


def test_the_schema_is_draft_2020_12_for_this_version_and_describes_every_field() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    undescribed = [path for path, node in _properties(SCHEMA) if "\n" in node.get("description", "\n")]
    assert undescribed == []


def test_the_hand_worked_queue_validates(db_url: str) -> None:
    db = Database(db_url)
    store_rows(db)
    generate_analytics(db, "q_now")
    document = stored_document(db, "q_now")
    assert document["trend"]["comparable"] is True and document["coverage"]["failures"]
    assert schema_errors(document) == []


def test_a_demo_org_run_and_its_rerun_with_a_trend_validate(demo_db: Database) -> None:
    conf = {"org_id": "brightpath", "questions": ["best-crm-startups", "brightpath-review"], "locations": ["US"]}
    queues, documents = [], []
    for run_id in ("manual__1", "manual__2"):
        cells = queue_cells(demo_db, conf, run_id)
        run_cells(demo_db, [c["cell_key"] for c in cells])
        with demo_db.transaction() as s:
            queue = s.scalars(select(ProcessingQueue.id).where(ProcessingQueue.dag_run_id == run_id)).one()
        queues.append(queue)
        documents.append(analytics_document(demo_db, queue))
    first, second = documents
    assert first["trend"] == {"previous_queue": None}
    assert second["trend"]["previous_queue"] == queues[0]
    assert schema_errors(first) == [] and schema_errors(second) == []


def test_a_document_with_a_field_the_schema_does_not_know_is_refused(db_url: str) -> None:
    db = Database(db_url)
    store_rows(db)
    generate_analytics(db, "q_now")
    document = stored_document(db, "q_now")
    document["overall"]["visibilty"] = document["overall"].pop("visibility")
    assert sorted(schema_errors(document)) == [
        "overall: 'visibility' is a required property",
        "overall: Additional properties are not allowed ('visibilty' was unexpected)",
    ]


# A fraction (0.6889) and a percent (17.712) sit side by side in the document: each number says which.
UNITS = (
    "a fraction 0–1",
    "percent 0–100",
    "in USD",
    "a position",
    "a score from −1 to 1",
    "in runs",
    "a ratio",
    "percentage points",
    "in the figure's unit",
    "in the same unit as now",
)


def test_every_number_in_the_schema_states_its_unit() -> None:
    def numbers(node: Any, path: str, described: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            described = node.get("description", described)
            kinds = node.get("type")
            if "number" in (kinds if isinstance(kinds, list) else [kinds]):
                yield path, described
            for key, value in node.items():
                yield from numbers(value, f"{path}/{key}", described)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from numbers(value, f"{path}/{i}", described)

    unitless = [path for path, text in numbers(SCHEMA, "", "") if not any(unit in text for unit in UNITS)]
    assert unitless == []
