"""A recognisable fake key as the AI connection's password for a whole run, then looked for in everything
the run produced: task logs, XComs and the rest of Airflow's database, every row of the app database,
the pushed files, the failed cells' reasons, and the ECS overrides a step would be started with."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ai_visibility.db import Database
from ai_visibility.settings import Settings
from ai_visibility_airflow.ecs import container_overrides
from tests.e2e.conftest import states

pytestmark = pytest.mark.e2e

FAKE_KEY = "sk-FAKEKEY-4f9a1c7e"


def every_row(url: str) -> Iterator[str]:
    """Each row of each table of a database, as text."""
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(sa.select(table)):
                yield f"{table.name}: {tuple(row)!r}"
    engine.dispose()


def test_the_ai_key_appears_nowhere_a_run_leaves_anything(
    demo_db: Database,
    app_env: Callable[..., None],
    process_org: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    airflow_db: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    app_env(demo_db.url)
    # One model is refused as a provider refuses a bad key, so failed cells and their reasons exist too.
    simulator = {"fail": "http_401", "fail_models": ["sonar"]}
    connection = {"conn_type": "openai", "host": "http://simulator.local/v1", "password": FAKE_KEY}
    monkeypatch.setenv("AIRFLOW_CONN_AI_SIMULATOR", json.dumps({**connection, "extra": {"simulator": simulator}}))
    run = process_org.test(run_conf={"org_id": "brightpath", "questions": ["best-crm-startups"]})
    assert run.state == "failed"
    assert sum(s == "failed" for (task, _), s in states(run).items() if task == "process_cell.call_ai") == 3

    produced = {
        "task logs": capsys.readouterr().out + caplog.text,
        "Airflow's database (XComs included)": "\n".join(every_row(f"sqlite:///{airflow_db}/airflow.db")),
        "the app database": "\n".join(every_row(demo_db.url)),
        "the pushed files": "\n".join(p.read_text() for p in (tmp_path / "output").rglob("*") if p.is_file()),
        "the ECS overrides": json.dumps(container_overrides("steps", "call_ai", "c_1", Settings.from_env())),
    }
    assert "HTTP 401" in produced["the app database"]  # the failed cells' reasons are in there
    assert "xcom" in produced["Airflow's database (XComs included)"]
    assert [where for where, text in produced.items() if FAKE_KEY in text] == []
