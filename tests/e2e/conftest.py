"""Run the real DAG with `dag.test()`: Airflow's own runner, in this process, against the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, airflow_db: Path) -> Callable[..., None]:
    """Point the DAG's connections at an app database and the in-process simulator."""

    def configure(db_url: str, **simulator: Any) -> None:
        url = make_url(db_url)
        conn: dict[str, Any]
        if url.get_backend_name() == "sqlite":
            conn = {"conn_type": "sqlite", "host": url.database}
        else:
            conn = {
                "conn_type": "postgres",
                "host": url.host,
                "port": url.port,
                "login": url.username,
                "schema": url.database,
            }
        monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps(conn))
        monkeypatch.setenv(
            "AIRFLOW_CONN_AI_SIMULATOR",
            json.dumps(
                {
                    "conn_type": "openai",
                    "host": "http://simulator.local/v1",
                    "password": "sk-e2e-secret",
                    "extra": {"simulator": simulator},
                }
            ),
        )
        monkeypatch.setenv("AI_VISIBILITY_PUSH_TO", str(tmp_path / "output"))

    return configure


@pytest.fixture
def provider_pools(airflow_db: Any) -> Iterator[Callable[..., None]]:
    from airflow.models.pool import Pool

    made: list[str] = []

    def create(*names: str) -> None:
        for name in names:
            Pool.create_or_update_pool(name, 2, "AI calls under test", include_deferred=True)
            made.append(name)

    yield create
    for name in made:
        Pool.delete_pool(name)


@pytest.fixture
def process_org() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py"))
    assert bag.import_errors == {}
    return bag.dags["process_org"]


def states(run: Any) -> dict[tuple[str, int], str]:
    """Task states of a finished run by (task id, map index)."""
    return {(ti.task_id, ti.map_index): ti.state for ti in run.get_task_instances()}
