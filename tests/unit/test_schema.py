"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from ai_visibility.db import Database
from ai_visibility.db.migrate import SchemaOutOfDate, require_current_schema, upgrade
from ai_visibility.db.models import Base
from ai_visibility.stats import wilson_interval


def test_migrations_match_the_models(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_an_unmigrated_database_is_refused_with_the_command_that_fixes_it(tmp_path: object) -> None:
    db = Database(f"sqlite:///{tmp_path}/empty.db")
    with pytest.raises(SchemaOutOfDate, match="run `ai-visibility db-upgrade`"):
        require_current_schema(db)


def test_upgrading_takes_webhook_tokens_out_of_pushes_written_before_0007(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0006")
    hook = "https://hooks.example.com/T0/tok_LEAKCHECK_7f3a9c21e5?token=tok_LEAKCHECK_7f3a9c21e5"
    with sqlite3.connect(tmp_path / "old.db") as conn:  # no foreign keys: only the push row matters here
        conn.executemany(
            "INSERT INTO pushes (queue_id, destination, idempotency_key, status, location, attempts, pushed_at) "
            "VALUES ('q_1', ?, 'q_1', 'pushed', ?, 1, '2026-11-01 06:00:00')",
            [(hook, hook), ("/srv/out", "/srv/out/brightpath/q_1/analytics.json")],
        )
    upgrade(url)
    with sqlite3.connect(tmp_path / "old.db") as conn:
        rows = conn.execute("SELECT destination, location, http_status FROM pushes ORDER BY destination").fetchall()
    assert rows[0] == ("/srv/out", "/srv/out/brightpath/q_1/analytics.json", None)
    assert rows[1][0].startswith("webhook https://hooks.example.com #") and rows[1][1:] == (
        "https://hooks.example.com",
        None,
    )
    assert "tok_LEAKCHECK" not in repr(rows)


def test_wilson_interval_matches_the_textbook_values() -> None:
    low, high = wilson_interval(31, 45) or (0, 0)
    assert (round(low, 3), round(high, 3)) == (0.543, 0.805)
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 10) or (1, 1)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=1e-4)
