"""docs/definitions.md says what the pushed document and its headers hold, as the code makes them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from ai_visibility.analytics import generate_analytics
from ai_visibility.db import Database
from ai_visibility.db.models import AnalyticsReport
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.org_spec import read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.push import idempotency_key
from tests.helpers import only_queue, run_queue

DEFINITIONS = (Path(__file__).resolve().parents[2] / "docs" / "definitions.md").read_text()


def _paragraph(starting: str) -> str:
    """The bullet or paragraph of definitions.md that starts with `starting`, joined onto one line."""
    start = DEFINITIONS.index(starting)
    end = re.compile(r"\n(?:- |\n)").search(DEFINITIONS, start + 1)
    return " ".join(DEFINITIONS[start : end.start() if end else None].split())


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo org's document over two questions (18 cells): it names discovered brands too."""
    from ai_visibility.db.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('docs')}/app.db"
    upgrade(url)
    db = Database(url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    run_queue(db, "manual__docs", questions=["best-crm-startups", "affordable-crm"])
    queue = only_queue(db)
    update_latest_flags(db, queue)
    generate_analytics(db, queue)
    with db.transaction() as s:
        report = s.get(AnalyticsReport, queue)
        assert report is not None
        return dict(report.document)


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
