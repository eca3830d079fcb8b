"""The failure callback posts one alert per failure: the same failure reported again (the callback run
again, a cleared task that did not fail again) posts nothing; a later try that fails again does. The
webhook gets an `Idempotency-Key` naming the failure, the same on a repeat. With the app database out
of reach the alert is still sent, saying so, and only that key stands between a receiver and a repeat."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ai_visibility import keys
from ai_visibility.alerts import Failure
from ai_visibility.db import Database
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.org_spec import read_org_file
from ai_visibility.org_store import save_org
from ai_visibility_airflow.alerts import alert_on_failure
from tests.helpers import free_port, queue_cells, run_cells, simulator_endpoints
from tests.webhook_receiver import Receiver, running_receiver

ROOT = Path(__file__).resolve().parents[2]
RUN_ID = "scheduled__brightpath__2026-12-01"
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}


@pytest.fixture
def alert_webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """The alert webhook, whatever the app database."""
    with running_receiver() as receiver:
        alerts = {"conn_type": "http", "host": f"{receiver.base}/hooks/alerts"}
        monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_ALERTS", json.dumps(alerts))
        yield receiver


@pytest.fixture
def receiver(sqlite_url: str, alert_webhook: Receiver, monkeypatch: pytest.MonkeyPatch) -> Receiver:
    """The app database with a run whose Perplexity cell failed (HTTP 500), and the alert webhook."""
    db = Database(sqlite_url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    cells = queue_cells(db, CONF, RUN_ID)
    run_cells(db, [c["cell_key"] for c in cells], simulator_endpoints(fail="http_500", fail_models=["sonar"]))
    database = {"conn_type": "sqlite", "host": db.engine.url.database}
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps(database))
    return alert_webhook


def failed_callback(try_number: int, task_id: str = "process_cell.call_ai", map_index: int = 1) -> dict[str, Any]:
    """The context Airflow gives the DAG's failure callback: the task instance that failed the run, with
    its run and params (the conf over the DAG's defaults)."""
    run = SimpleNamespace(dag_id="process_org", run_id=RUN_ID, conf=CONF)
    ti = SimpleNamespace(dag_id="process_org", task_id=task_id, map_index=map_index, try_number=try_number)
    return {"dag": SimpleNamespace(dag_id="process_org"), "dag_run": run, "run_id": RUN_ID, "ti": ti,
            "params": {**CONF, "samples": None}, "reason": "task_failure"}  # fmt: skip


def test_the_same_failure_is_alerted_once_and_a_new_failed_try_again(receiver: Receiver) -> None:
    alert_on_failure(failed_callback(try_number=2))
    (first,) = receiver.received
    assert "process_org for brightpath: 1 of 3 cells failed (2 completed)" in first["body"]["text"]
    assert first["headers"]["idempotency-key"].startswith("failure:")

    # The callback run again for the same failure (the DAG processor re-runs a callback it lost; the
    # run is failed again after a cleared task that succeeded, the failed cell untouched).
    alert_on_failure(failed_callback(try_number=2))
    assert len(receiver.received) == 1

    # The failed cell cleared, its new try fails again: a new failure, alerted, under another key.
    alert_on_failure(failed_callback(try_number=3))
    assert len(receiver.received) == 2
    assert receiver.received[1]["headers"]["idempotency-key"] != first["headers"]["idempotency-key"]
    # Another cell's failed try is another failure too.
    alert_on_failure(failed_callback(try_number=2, map_index=2))
    assert len(receiver.received) == 3


def test_a_run_that_failed_without_a_failed_task_is_alerted_once(receiver: Receiver) -> None:
    # A run stopped at its dagrun_timeout: Airflow gives no task instance, and no `dag_run` either.
    timed_out = {"dag": SimpleNamespace(dag_id="process_org"), "run_id": RUN_ID, "reason": "timed_out"}
    alert_on_failure(timed_out)
    alert_on_failure(timed_out)
    (alert,) = receiver.received
    assert RUN_ID in alert["body"]["text"]
    # No params and no conf: the queue the run built names its org.
    assert "process_org for brightpath: 1 of 3 cells failed" in alert["body"]["text"]


def test_an_alert_the_webhook_refused_is_sent_on_the_next_report_of_the_failure(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = {"conn_type": "http", "host": f"{receiver.base}/down/alerts"}
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_ALERTS", json.dumps(down))
    with pytest.raises(ConnectionError, match="HTTP 500"):
        alert_on_failure(failed_callback(try_number=2))
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_ALERTS", json.dumps({**down, "host": f"{receiver.base}/alerts"}))
    alert_on_failure(failed_callback(try_number=2))
    refused, delivered = receiver.received
    assert refused["headers"]["idempotency-key"] == delivered["headers"]["idempotency-key"]
    alert_on_failure(failed_callback(try_number=2))
    assert len(receiver.received) == 2


PASSWORD = "pw_LEAKCHECK_4b1d"


@pytest.mark.parametrize(
    ("database", "why"),
    [
        # A PostgreSQL port nobody listens on (the server down), with credentials that must not leak.
        (
            {"conn_type": "postgres", "host": "127.0.0.1", "port": free_port(), "login": "aiv", "password": PASSWORD},
            "connection refused",
        ),
        # A SQLite file in a directory that is not there (a volume not mounted).
        ({"conn_type": "sqlite", "host": "/nonexistent-aiv-volume/app.db"}, "unable to open database file"),
    ],
    ids=["postgres-down", "sqlite-missing"],
)
def test_the_failure_is_alerted_when_the_app_database_is_out_of_reach(
    alert_webhook: Receiver, monkeypatch: pytest.MonkeyPatch, database: dict[str, Any], why: str
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps(database))
    alert_on_failure(failed_callback(try_number=2))
    (alert,) = alert_webhook.received
    text = alert["body"]["text"]
    assert "process_org for brightpath failed: the app database was unreachable" in text
    assert why in text.lower()
    assert RUN_ID in text
    assert PASSWORD not in alert["raw"].decode()
    assert "postgresql" not in text and "://aiv" not in text  # no database URL
    key = Failure("process_org", RUN_ID, "process_cell.call_ai", 1, 2).idempotency_key
    assert alert["headers"]["idempotency-key"] == key

    # Nothing records the delivery: the failure reported again is posted again, under the same key,
    # which is what lets a receiver drop the repeat.
    alert_on_failure(failed_callback(try_number=2))
    assert [a["headers"]["idempotency-key"] for a in alert_webhook.received] == [key, key]


def test_every_dag_alerts_on_failure() -> None:
    # A schedule_orgs run that fails (the app database down past its retries) means no org ran today:
    # as much an alert as a failed process_org.
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    assert {dag_id: dag.on_failure_callback for dag_id, dag in bag.dags.items()} == {
        "process_org": alert_on_failure,
        "reprocess_org": alert_on_failure,
        "schedule_orgs": alert_on_failure,
    }


@pytest.mark.parametrize("database", [{"conn_type": "postgres", "host": "127.0.0.1", "port": free_port()}])
def test_a_failed_schedule_run_is_alerted_as_the_orgs_not_triggered(
    alert_webhook: Receiver, monkeypatch: pytest.MonkeyPatch, database: dict[str, Any]
) -> None:
    # find_due_orgs failed its last try with the app database down: the alert says which DAG, which
    # task and why, not a process_org's cells.
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps(database))
    run_id = "scheduled__2026-12-01T06:00:00+00:00"
    run = SimpleNamespace(dag_id="schedule_orgs", run_id=run_id, conf={})
    ti = SimpleNamespace(dag_id="schedule_orgs", task_id="find_due_orgs", map_index=-1, try_number=5)
    context = {"dag": SimpleNamespace(dag_id="schedule_orgs"), "dag_run": run, "run_id": run_id, "ti": ti,
               "reason": "task_failure"}  # fmt: skip
    alert_on_failure(context)
    (alert,) = alert_webhook.received
    text = alert["body"]["text"]
    assert text.startswith(":warning: schedule_orgs failed in find_due_orgs (task_failure)")
    assert "the app database was unreachable" in text and "connection refused" in text.lower()
    assert "process_org" not in text and "?" not in text.split("\n")[0]
    assert f"/dags/schedule_orgs/runs/{run_id}" in text


def test_a_failed_trigger_of_schedule_orgs_is_alerted_naming_the_org_it_did_not_trigger(
    sqlite_url: str, alert_webhook: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The third due org's trigger failed (process_org paused, the API refused): the alert says whose.
    database = {"conn_type": "sqlite", "host": Database(sqlite_url).engine.url.database}
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps(database))
    run_id = "scheduled__2026-12-01T06:00:00+00:00"
    due = [
        {"trigger_run_id": f"scheduled__{org}__2026-12-01", "conf": {"org_id": org}}
        for org in ("acme", "brightpath", "northwind")
    ]

    def xcom_pull(task_ids: str, map_indexes: int) -> Any:
        return due if (task_ids, map_indexes) == ("find_due_orgs", -1) else None

    run = SimpleNamespace(dag_id="schedule_orgs", run_id=run_id, conf={})
    ti = SimpleNamespace(dag_id="schedule_orgs", task_id="trigger_process_org", map_index=2, try_number=5,
                         xcom_pull=xcom_pull)  # fmt: skip
    alert_on_failure({"dag": SimpleNamespace(dag_id="schedule_orgs"), "dag_run": run, "run_id": run_id, "ti": ti,
                      "params": {}, "reason": "task_failure"})  # fmt: skip
    (alert,) = alert_webhook.received
    assert alert["body"]["text"].startswith(
        ":warning: schedule_orgs failed in trigger_process_org[2] for org northwind (task_failure)"
    )


def callback_as_airflow_runs_it(dag_id: str, run_id: str, run_conf: dict[str, Any], task_id: str) -> None:
    """The DAG's failure callback run as the DAG processor runs it: Airflow builds its context from the
    DAG file, the run the server describes and the task instance that failed the run."""
    import uuid
    from datetime import UTC, datetime

    from airflow.api_fastapi.execution_api.datamodels.taskinstance import DagRun, TaskInstance
    from airflow.callbacks.callback_requests import DagCallbackRequest, DagRunContext
    from airflow.dag_processing.dagbag import DagBag
    from airflow.dag_processing.processor import _execute_dag_callbacks

    path = ROOT / "dags" / f"{dag_id}.py"
    now = datetime(2026, 12, 1, 6, tzinfo=UTC)
    run = DagRun(
        dag_id=dag_id, run_id=run_id, logical_date=None, data_interval_start=None, data_interval_end=None,
        run_after=now, start_date=now, end_date=now, run_type="manual", state="failed", conf=run_conf,
        consumed_asset_events=[], partition_key=None,
    )  # fmt: skip
    ti = TaskInstance(
        id=uuid.uuid4(), task_id=task_id, dag_id=dag_id, run_id=run_id, try_number=1, dag_version_id=uuid.uuid4()
    )
    request = DagCallbackRequest(
        filepath=str(path), bundle_name="dags-folder", bundle_version=None, dag_id=dag_id, run_id=run_id,
        context_from_server=DagRunContext(dag_run=run, last_ti=ti), msg="task_failure",
    )  # fmt: skip
    _execute_dag_callbacks(DagBag(dag_folder=str(path)), request, _PrintedLog())  # type: ignore[arg-type]


class _PrintedLog:
    """The DAG processor's structured log, printed (a callback's exception shows in the test's output)."""

    def __getattr__(self, level: str) -> Callable[..., None]:
        return lambda *event, **fields: print(level, *event, fields)


def test_a_run_triggered_with_an_empty_conf_is_alerted_as_the_default_org_it_ran(
    sqlite_url: str, alert_webhook: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `POST .../dagRuns` with `conf: {}`: the params fill in the default org, which load_org refused
    # before any queue named it. The alert names that org, not "?".
    monkeypatch.setenv("AI_VISIBILITY_DEFAULT_ORG", "northwind")
    database = {"conn_type": "sqlite", "host": Database(sqlite_url).engine.url.database}
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps(database))
    callback_as_airflow_runs_it("process_org", "manual__2026-12-01T06:00:00+00:00", {}, "load_org")
    (alert,) = alert_webhook.received
    assert alert["body"]["text"].startswith(
        ":warning: process_org for northwind failed before any cell ran (task_failure)"
    )


@pytest.mark.parametrize(
    ("task_id", "map_index", "says"),
    [
        # The second queue's push failed: refresh_queue is mapped over the queues oldest first.
        ("refresh_queue.push_analytics", 1, "push_analytics failed for queue {second} (task_failure); 0 of 6"),
        # The conf named a queue of no such org: nothing was planned, and the alert says where it failed.
        ("plan_reprocess", -1, None),
    ],
)
def test_a_failed_reprocess_is_alerted_with_the_queue_whose_refresh_failed(
    sqlite_url: str, alert_webhook: Receiver, monkeypatch: pytest.MonkeyPatch, task_id: str, map_index: int,
    says: str | None,
) -> None:  # fmt: skip
    from datetime import UTC, datetime

    from ai_visibility.errors import InputError
    from ai_visibility.latest_flags import update_latest_flags
    from ai_visibility.reprocess import REEXTRACTION_STEPS, plan_reprocess, reextract
    from ai_visibility.reprocess_conf import parse_reprocess_conf
    from tests.helpers import run_queue

    db = Database(sqlite_url)
    save_org(db, read_org_file(DEMO_ORG_FILE))
    queues = []
    for run_of_process_org in ("manual__week1", "manual__week2"):
        run_queue(db, run_of_process_org, questions=["best-crm-startups"], locations=["US"])
        queues.append(keys.queue_id("brightpath", run_of_process_org))
        update_latest_flags(db, queues[-1])
    monkeypatch.setenv("AIRFLOW_CONN_AI_VISIBILITY_DB", json.dumps({"conn_type": "sqlite", "host": db.url[10:]}))
    run_id = "manual__2026-12-02T06:00:00+00:00"
    params = {"org_id": "brightpath", "queues": queues[::-1] if says else ["q_nope"], "since": None, "until": None}
    # The run as the DAG runs it: its plan (plan_reprocess's XCom), every planned cell re-extracted.
    started = datetime.now(UTC)
    try:
        planned = plan_reprocess(db, parse_reprocess_conf(params), 1024)
    except InputError:
        planned = None
    for cell in planned or []:
        for step in REEXTRACTION_STEPS:
            reextract(db, cell["cell_key"], step)

    def xcom_pull(task_ids: str, map_indexes: int) -> Any:
        assert (task_ids, map_indexes) == ("plan_reprocess", -1)
        return planned

    run = SimpleNamespace(dag_id="reprocess_org", run_id=run_id, conf={"queues": params["queues"]}, start_date=started)
    ti = SimpleNamespace(
        dag_id="reprocess_org", task_id=task_id, map_index=map_index, try_number=1, xcom_pull=xcom_pull
    )
    context = {"dag": SimpleNamespace(dag_id="reprocess_org"), "dag_run": run, "run_id": run_id, "ti": ti,
               "params": params, "reason": "task_failure"}  # fmt: skip
    alert_on_failure(context)
    (alert,) = alert_webhook.received
    text = alert["body"]["text"]
    if says is None:
        assert text.startswith(
            ":warning: reprocess_org for brightpath failed in plan_reprocess before it re-extracted any run"
        )
        return
    assert text.startswith(f":warning: reprocess_org for brightpath: {says.format(second=queues[1])} re-extracted ")
    assert "runs failed (6 completed) in 2 queues\n" in text
    assert text.endswith(f"\n• queues: {queues[0]}, {queues[1]}")


def test_a_reprocess_run_that_timed_out_is_alerted_with_its_progress_unknown_not_as_having_done_nothing(
    receiver: Receiver,
) -> None:
    # Stopped at its dagrun_timeout, maybe after re-extracting much: Airflow gives the callback no task
    # instance, so neither the run's conf nor its plan. The alert does not guess.
    run_id = "manual__2026-12-02T06:00:00+00:00"
    alert_on_failure({"dag": SimpleNamespace(dag_id="reprocess_org"), "run_id": run_id, "reason": "timed_out"})
    (alert,) = receiver.received
    text = alert["body"]["text"]
    assert text.startswith(
        ":warning: reprocess_org failed (timed_out); how far it got is unknown to this alert: see the run\n"
    )
    assert "before it re-extracted any run" not in text and f"/dags/reprocess_org/runs/{run_id}" in text
