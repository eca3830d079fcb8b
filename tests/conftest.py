"""Shared fixtures. Airflow's settings are fixed here, before anything imports Airflow."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="aiv-airflow-home-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AIRFLOW_HOME}/airflow.db",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        # Failures under test must show at once, not after Airflow's retry delays.
        "AI_VISIBILITY_STEP_RETRIES": "0",
    }
)
sys.path.insert(0, str(ROOT / "dags"))

PG_ADMIN_URL = os.environ.get("AI_VISIBILITY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    from ai_visibility.db.migrate import upgrade

    url = f"sqlite:///{tmp_path}/app.db"
    upgrade(url)
    return url


def _postgres_or_fail() -> str:
    """The admin URL of the local PostgreSQL; skips when it is absent, unless CI is set."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(PG_ADMIN_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required in CI and is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {PG_ADMIN_URL} is not reachable")
    finally:
        engine.dispose()
    return PG_ADMIN_URL


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    from ai_visibility.db.scratch import scratch_postgres

    with scratch_postgres(_postgres_or_fail(), "aiv_test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url"))


@pytest.fixture
def demo_db(db_url: str) -> Any:
    """The app database with the demo org stored."""
    from ai_visibility.db import Database
    from ai_visibility.demo import DEMO_ORG_FILE
    from ai_visibility.org_spec import read_org_file
    from ai_visibility.org_store import save_org

    db = Database(db_url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    return db


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Airflow's own metadata database, migrated once per test session."""
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True, env=os.environ.copy()
    )
    return _AIRFLOW_HOME
