"""docs/definitions.md and the README say what the pushed document, files and headers hold, as the code makes them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

from ai_visibility.db import Database
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.exports import competitors_csv, runs_csv
from ai_visibility.org_spec import read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.push import idempotency_key
from tests.helpers import analytics_document, only_queue, run_queue, stored_document

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = (ROOT / "docs" / "definitions.md").read_text()
README = (ROOT / "README.md").read_text()
# What the README may call a number's unit, and the range its values keep.
UNITS = {"fraction 0–1": (0, 1), "percent 0–100": (0, 100), "position": (1, None), "count": (0, None)}
UNITS |= {"US dollars": (0, None), "index": (1, None)}


def _csv_units(file: str) -> dict[str, str]:
    """The README's columns of one pushed CSV file, each with what its parentheses say."""
    row = next(line for line in README.splitlines() if line.startswith(f"| `{file}` |"))
    columns = row.split(" | ")[2]
    return dict(re.findall(r"`(\w+)`(?: \(([^)]*)\))?", columns))


def _paragraph(starting: str) -> str:
    """The bullet or paragraph of definitions.md that starts with `starting`, joined onto one line."""
    start = DEFINITIONS.index(starting)
    end = re.compile(r"\n(?:- |\n)").search(DEFINITIONS, start + 1)
    return " ".join(DEFINITIONS[start : end.start() if end else None].split())


@pytest.fixture(scope="module")
def queue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, str]:
    """The demo org's queue over two questions (18 cells), analysed: it names discovered brands too."""
    from ai_visibility.db.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('docs')}/app.db"
    upgrade(url)
    db = Database(url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    run_queue(db, "manual__docs", questions=["best-crm-startups", "affordable-crm"])
    queue = only_queue(db)
    analytics_document(db, queue)
    return db, queue


@pytest.fixture(scope="module")
def document(queue: tuple[Database, str]) -> dict[str, Any]:
    return stored_document(*queue)


def test_the_push_section_gives_the_idempotency_key_the_webhook_sends() -> None:
    push = _paragraph("The analytics document (JSON;")
    assert "fixed idempotency key" not in push  # the key changes when a rerun changes the document
    assert "`Idempotency-Key: <queue id>:<sha256 of the body>`" in push
    body = b'{"org": "brightpath"}'
    assert idempotency_key("q_1", body) == f"q_1:{hashlib.sha256(body).hexdigest()}"


def test_the_leaderboard_definition_names_every_kind_of_row_the_document_holds(document: dict[str, Any]) -> None:
    leaderboard = _paragraph("- **Competitor leaderboard**")
    kinds = {row["kind"] for row in document["competitors"]}
    assert kinds == {"target", "competitor", "discovered"}
    for kind in kinds:
        assert f"`kind: {kind}`" in leaderboard
    nulls = {row["kind"] for row in document["competitors"] if row["mention_share"] is None}
    assert nulls == {"discovered"}
    assert "`mention_share` is null for a discovered brand" in leaderboard


@pytest.mark.parametrize("file", ["runs.csv", "competitors.csv"])
def test_every_numeric_column_of_the_pushed_csv_files_states_its_unit(queue: tuple[Database, str], file: str) -> None:
    db, queue_id = queue
    if file == "runs.csv":
        with db.transaction() as s:
            text = runs_csv(s, queue_id)
    else:
        text = competitors_csv(stored_document(db, queue_id))
    rows = list(csv.DictReader(io.StringIO(text.decode())))
    documented = _csv_units(file)
    assert list(documented) == list(rows[0])  # every column, in the file's order
    for column in rows[0]:
        values = [float(r[column]) for r in rows if r[column] and re.fullmatch(r"-?[\d.]+", r[column])]
        if not values:
            continue  # text, booleans
        unit = next((u for u in UNITS if documented[column].startswith(u)), None)
        assert unit is not None, f"{file} {column}: no unit in {documented[column]!r}"
        low, high = UNITS[unit]
        assert all(v >= low and (high is None or v <= high) for v in values), (column, unit)
    if file == "competitors.csv":  # the two that read alike: 0.6889 is a fraction, 17.712 a percent
        assert documented["visibility"].startswith("fraction") and documented["share_of_voice"].startswith("percent")
        assert any(float(r["share_of_voice"]) > 1 for r in rows)
