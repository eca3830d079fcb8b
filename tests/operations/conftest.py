"""A real Airflow (api-server, scheduler, dag-processor, triggerer) on PostgreSQL, one for the whole
session, driven through the REST API with `apache-airflow-client`, as users do. Its tasks reach the
app database through a TCP proxy that a test can stop, as an outage would."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import airflow_client.client as af
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ai_visibility.db import Database
from ai_visibility.db.migrate import upgrade
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.org_spec import OrgSpec, ScheduleSpec, read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.simulator.server import SimulatorServer, serve_in_thread
from ai_visibility_airflow.local_airflow import USER, LocalAirflow, airflow_env
from tests.conftest import PG_ADMIN_URL, _postgres_or_fail
from tests.helpers import TcpProxy, free_port

ROOT = Path(__file__).resolve().parents[2]
TERMINAL = {"success", "failed"}


class Webhook(ThreadingHTTPServer):
    """Receives what a Slack-compatible webhook would."""

    received: list[dict[str, Any]]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/alerts"

    def wait_for(self, count: int, timeout_s: float = 60) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_s
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.5)
        return self.received


def _webhook() -> Webhook:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            server.received.append(json.loads(body))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = Webhook(("127.0.0.1", 0), Handler)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Stack:
    airflow: LocalAirflow
    app_db: Database
    simulator: SimulatorServer
    output: Path
    client: af.ApiClient
    alerts: Webhook
    app_db_proxy: TcpProxy

    def token(self) -> str:
        request = urllib.request.Request(
            f"{self.airflow.url}/auth/token",
            method="POST",
            headers={"content-type": "application/json"},
            data=json.dumps({"username": USER, "password": self.airflow.password}).encode(),
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(json.load(response)["access_token"])

    def wait_for_run(self, run_id: str, dag_id: str = "process_org", timeout_s: float = 240) -> af.DAGRunResponse:
        """Poll the run until it ends, within a bound."""
        runs = af.DagRunApi(self.client)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            run = runs.get_dag_run(dag_id, run_id)
            if run.state in TERMINAL:
                return run
            time.sleep(2)
        raise TimeoutError(f"{dag_id} run {run_id} did not finish within {timeout_s:g}s")


def tiny_daily_org() -> OrgSpec:
    """A daily org with a single cell, for scheduled runs that finish quickly."""
    spec = read_org_file(DEMO_ORG_FILE)
    return spec.model_copy(
        update={
            "id": "tinyco",
            "schedule": ScheduleSpec(cadence="daily"),
            "models": spec.models[:1],
            "locations": spec.locations[:1],
            "questions": spec.questions[:1],
        }
    )


def _database(admin: Any, name: str) -> str:
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def running_stack(
    tmp_path_factory: pytest.TempPathFactory, executor: str = "local", **settings: str
) -> Iterator[Stack]:
    """A real Airflow on fresh PostgreSQL databases with the demo orgs, the simulator and an alert
    receiver, its tasks reaching the app database through a proxy a test can cut; with
    `executor="celery"`, two Celery workers on the local Redis run its tasks. `settings`: more
    environment variables for every process."""
    admin = create_engine(_postgres_or_fail(), isolation_level="AUTOCOMMIT")
    suffix = uuid.uuid4().hex[:10]
    names = [f"aiv_ops_meta_{suffix}", f"aiv_ops_app_{suffix}"]
    metadata_url, app_url = (_database(admin, n) for n in names)
    upgrade(app_url)
    app_db = Database(app_url)
    save_org(app_db, read_org_file(DEMO_ORG_FILE))
    save_org(app_db, tiny_daily_org())
    simulator, simulator_url = serve_in_thread({"latency_ms": 50})
    alerts = _webhook()
    home = tmp_path_factory.mktemp("airflow-home")
    output = tmp_path_factory.mktemp("output")
    port = free_port()
    app = make_url(app_url)
    proxy = TcpProxy((app.host or "127.0.0.1", app.port or 5432))
    metadata = metadata_url.replace("postgresql+psycopg://", "postgresql+psycopg2://")
    log_port = free_port()
    env = airflow_env(home, ROOT, port, metadata, log_port=log_port, executor=executor)
    env.update(
        {
            "AIRFLOW_CONN_AI_VISIBILITY_DB": json.dumps(
                {
                    "conn_type": "postgres",
                    "host": "127.0.0.1",
                    "port": proxy.port,
                    "login": app.username,
                    "schema": app.database,
                }
            ),
            "AIRFLOW_CONN_AI_SIMULATOR": json.dumps(
                {"conn_type": "openai", "host": simulator_url, "password": "sk-ops"}
            ),
            "AI_VISIBILITY_PUSH_TO": str(output),
            "AI_VISIBILITY_STEP_TIMEOUT_S": "8",
            "AI_VISIBILITY_STEP_RETRIES": "1",
            "AI_VISIBILITY_SCHEDULE_CRON": "0 6 1 1 *",  # the test triggers schedule_orgs itself
            "AIRFLOW_CONN_AI_VISIBILITY_ALERTS": json.dumps({"conn_type": "http", "host": alerts.url}),
            **settings,
        }
    )
    # The scheduler serves its LocalExecutor's task logs; with Celery, each worker serves its own.
    workers = [log_port, free_port()] if executor == "celery" else []
    airflow = LocalAirflow(home, port, env, worker_log_ports=workers)
    try:
        airflow.prepare(ROOT / "airflow_settings.yaml")
        airflow.start()
        airflow.wait_healthy(180)
        client = af.ApiClient(af.Configuration(host=airflow.url))
        stack = Stack(airflow, app_db, simulator, output, client, alerts, proxy)
        stack.client.configuration.access_token = stack.token()
        _wait_for_dag(stack)
        yield stack
    finally:
        airflow.stop()
        proxy.cut()
        for server in (simulator, alerts):
            server.shutdown()
            server.server_close()
        app_db.dispose()
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One stack for the session: each test works on its own cells (questions and locations no
    other test asks) or its own queue, so tests that share it do not disturb one another."""
    with running_stack(tmp_path_factory) as running:
        yield running


def _wait_for_dag(stack: Stack, timeout_s: float = 120) -> None:
    dags = af.DAGApi(stack.client)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if not dags.get_dag("process_org").is_paused:
                return
        except af.ApiException:
            pass
        time.sleep(2)
    raise TimeoutError("the dag-processor did not register process_org in time")


@pytest.fixture
def trigger(stack: Stack) -> Callable[..., str]:
    return lambda conf: trigger_run(stack, conf)


def trigger_run(stack: Stack, conf: dict[str, Any]) -> str:
    body = af.TriggerDAGRunPostBody(logical_date=None, conf=conf)
    return str(af.DagRunApi(stack.client).trigger_dag_run("process_org", body).dag_run_id)
