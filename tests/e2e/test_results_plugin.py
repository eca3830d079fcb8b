"""The results plugin over a real `dag.test()` run: per-DAG access and the pushes on the report page."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ai_visibility.db import Database
from tests.webhook_receiver import SECRET, TOKEN, Receiver, running_receiver

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "models": ["gpt-4o"], "locations": ["US"]}


@pytest.fixture
def plugin_client() -> Iterator[TestClient]:
    """The plugin's app as the api-server mounts it, with the login check passed (it is Airflow's own)."""
    path = ROOT / "plugins" / "ai_visibility_results.py"
    spec = importlib.util.spec_from_file_location("ai_visibility_results", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.app
    for dependency in app.router.dependencies:
        app.dependency_overrides[dependency.dependency] = lambda: None
    with TestClient(app) as client:
        yield client


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def pushed_run(
    demo_db: Database,
    app_env: Callable[..., None],
    process_org: Any,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> tuple[str, Receiver]:
    """A process_org run pushed to a folder and to a signed webhook named by its connection."""
    app_env(demo_db.url)
    monkeypatch.setenv(
        "AIRFLOW_CONN_AI_VISIBILITY_WEBHOOK",
        json.dumps({"conn_type": "http", "host": f"{receiver.base}/hooks/{TOKEN}?token={TOKEN}", "password": SECRET}),
    )
    monkeypatch.setenv("AI_VISIBILITY_PUSH_TO", f"{tmp_path / 'output'} webhook:ai_visibility_webhook")
    run = process_org.test(run_conf=CONF)
    assert run.state == "success"
    return str(run.run_id), receiver


def test_the_report_names_the_last_pushes_without_the_webhook_token(
    pushed_run: tuple[str, Receiver], plugin_client: TestClient, tmp_path: Path
) -> None:
    run_id, webhook = pushed_run
    (got,) = webhook.received
    assert got["verified"] and got["body"]["queue"]["dag_run_id"] == run_id
    page = plugin_client.get(f"/runs/process_org/{run_id}/report")
    assert page.status_code == 200
    assert f"webhook:ai_visibility_webhook ({webhook.base}): pushed, HTTP 202 at " in page.text
    assert f"{tmp_path / 'output'} (" in page.text and "no destination configured" not in page.text
    assert TOKEN not in page.text
    # The tab is the visual report, the same page as the pushed report.html, plus where it went.
    pushed = next((tmp_path / "output" / "brightpath").glob("*/report.html")).read_text()
    assert page.text.split('<section id="pushed">')[0] == pushed.split("</main>")[0]


def test_a_run_is_served_only_under_the_dag_it_belongs_to(
    pushed_run: tuple[str, Receiver], plugin_client: TestClient
) -> None:
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunType

    run_id, _ = pushed_run
    for path in ("progress", "analytics", "report"):
        assert plugin_client.get(f"/runs/process_org/{run_id}/{path}").status_code == 200
        # Access is granted on the URL's dag_id: another DAG's permission must not open this run.
        assert plugin_client.get(f"/runs/schedule_orgs/{run_id}/{path}").status_code == 404
    assert plugin_client.get("/runs/process_org/manual__not-a-run/report").status_code == 404
    # Whoever may trigger a DAG may choose its run id, e.g. one copied from a process_org run.
    with create_session() as session:
        session.add(
            DagRun(
                dag_id="schedule_orgs",
                run_id=run_id,
                run_type=DagRunType.MANUAL,
                state=DagRunState.SUCCESS,
                run_after=datetime.now(UTC),
            )
        )
    assert plugin_client.get(f"/runs/schedule_orgs/{run_id}/report").status_code == 404
