"""What users do with process_org in a real Airflow, through its REST API."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping

import airflow_client.client as af
import pytest
from sqlalchemy import func, select

from ai_visibility import keys, push
from ai_visibility.db.models import AIModel, AnalyticsReport, Push, QuestionRun, QueueCell, UsageEntry
from ai_visibility.simulator.handler import Reply
from ai_visibility.summary import render_summary
from tests.operations.conftest import Stack

pytestmark = pytest.mark.operations
CONF = {"org_id": "brightpath", "questions": ["best-crm-startups"], "locations": ["US"]}


def test_the_trigger_form_shows_the_params_and_bad_conf_gets_the_schema_message(stack: Stack) -> None:
    details = af.DAGApi(stack.client).get_dag_details("process_org")
    params = details.params or {}
    assert set(params) >= {"org_id", "questions", "models", "locations", "budget_usd"}
    assert params["org_id"]["schema"]["title"] == "Organization"
    assert "description_md" in params["models"]["schema"]
    with pytest.raises(af.ApiException) as refused:
        af.DagRunApi(stack.client).trigger_dag_run(
            "process_org",
            af.TriggerDAGRunPostBody(logical_date=None, conf={"org_id": "brightpath", "models": "gpt-4o"}),
        )
    assert refused.value.status == 400
    assert "models" in str(refused.value.body) and "array" in str(refused.value.body)


def test_a_run_for_an_unknown_org_fails_and_alerts(stack: Stack, trigger: Callable[..., str]) -> None:
    before = len(stack.alerts.received)
    run_id = trigger({"org_id": "nope"})
    assert stack.wait_for_run(run_id).state == "failed"
    alert = stack.alerts.wait_for(before + 1)[before]
    assert "process_org for nope failed before any cell ran" in alert["text"] and run_id in alert["text"]


def test_a_failed_cell_is_cleared_and_rerun_alone(stack: Stack, trigger: Callable[..., str]) -> None:
    stack.simulator.simulator.config.update({"fail": "http_500", "fail_models": ["sonar"]})
    alerts_before = len(stack.alerts.received)
    run_id = trigger(CONF)
    assert stack.wait_for_run(run_id).state == "failed"

    tis = af.TaskInstanceApi(stack.client)
    calls = tis.get_mapped_task_instances("process_org", run_id, "process_cell.call_ai").task_instances
    labels = {ti.rendered_map_index: ti for ti in calls}
    assert set(labels) == {
        "Which CRM is best for startups? · gpt-4o · US",
        "Which CRM is best for startups? · Perplexity Sonar · US",
        "Which CRM is best for startups? · Gemini 2.5 Flash · US",
    }
    failed = labels["Which CRM is best for startups? · Perplexity Sonar · US"]
    assert failed.state == "failed" and failed.try_number == 2  # its retry ran, with backoff
    with stack.app_db.transaction() as s:
        cells = s.scalars(select(QueueCell).where(QueueCell.queue_id == keys.queue_id("brightpath", run_id)))
        statuses = {c.model_key: c.status for c in cells}
    assert statuses == {"gpt-4o": "completed", "gemini-flash": "completed", "sonar": "failed"}
    alert = stack.alerts.wait_for(alerts_before + 1)[alerts_before]
    assert "process_org for brightpath: 1 of 3 cells failed (2 completed)" in alert["text"]
    assert "Which CRM is best for startups? · Perplexity Sonar · US [call_ai]" in alert["text"]
    assert f"{stack.airflow.url}/dags/process_org/runs/{run_id}" in alert["text"]
    assert alert["blocks"][0]["text"]["type"] == "mrkdwn"

    stack.simulator.simulator.config.clear()  # the engine is back
    one_cell = af.ClearTaskInstancesBodyTaskIdsInner(["process_cell.call_ai", failed.map_index])
    body = af.ClearTaskInstancesBody(
        dag_run_id=run_id, dry_run=False, only_failed=False, include_downstream=True, task_ids=[one_cell]
    )
    cleared = tis.post_clear_task_instances("process_org", body).task_instances
    cleared_ids = {(ti.task_id, ti.map_index) for ti in cleared}
    assert ("process_cell.call_ai", failed.map_index) in cleared_ids
    assert not any(t.startswith("process_cell.") and i != failed.map_index for t, i in cleared_ids)
    assert {"update_latest_flags", "generate_analytics", "push_analytics", "check_cells"} <= {t for t, _ in cleared_ids}
    assert stack.wait_for_run(run_id).state == "success"
    assert_recovered(stack, run_id)

    others = [
        ti
        for ti in tis.get_mapped_task_instances("process_org", run_id, "process_cell.call_ai").task_instances
        if ti.map_index != failed.map_index
    ]
    assert {ti.try_number for ti in others} == {1}  # the other cells were not redone
    queue = keys.queue_id("brightpath", run_id)
    with stack.app_db.transaction() as s:
        runs = s.scalar(select(func.count()).select_from(QuestionRun).where(QuestionRun.queue_id == queue))
        report = s.get(AnalyticsReport, queue)
    assert runs == 3 and report is not None
    assert report.document["coverage"]["failed"] == 0 and report.document["overall"]["n"] == 3
    documents = list((stack.output / "brightpath" / queue).rglob("*.json"))
    assert len(documents) == 1
    assert json.loads(documents[0].read_text())["coverage"]["succeeded"] == 3


# One run per recovery path, each on its own cells (a question at GB-london, which no other test
# asks), so a path's latest flags are never taken over by another run's newer answers.
OUTAGE_QUESTIONS = {
    "calls_with_downstream": "best-crm-startups",
    "one_call_then_failed_tasks": "crm-small-sales-team",
    "failed_tasks": "hubspot-alternatives",
    "whole_run": "affordable-crm",
}


@pytest.fixture(scope="module")
def outage_runs(stack: Stack) -> dict[str, str]:
    """Runs that failed while Perplexity answered HTTP 500 (its cell failed, Gemini's completed),
    started together to share the wait; Perplexity is back once they have failed."""
    stack.simulator.simulator.config.update({"fail": "http_500", "fail_models": ["sonar"]})
    try:
        runs = {
            path: str(
                af.DagRunApi(stack.client)
                .trigger_dag_run(
                    "process_org",
                    af.TriggerDAGRunPostBody(
                        logical_date=None,
                        conf={
                            "org_id": "brightpath",
                            "questions": [question],
                            "models": ["sonar", "gemini-flash"],
                            "locations": ["GB-london"],
                        },
                    ),
                )
                .dag_run_id
            )
            for path, question in OUTAGE_QUESTIONS.items()
        }
        assert {stack.wait_for_run(run_id, timeout_s=480).state for run_id in runs.values()} == {"failed"}
    finally:
        stack.simulator.simulator.config.clear()
    for run_id in runs.values():
        assert cell_statuses(stack, run_id) == {"sonar": "failed", "gemini-flash": "completed"}
    return runs


def cell_statuses(stack: Stack, run_id: str) -> dict[str, str]:
    with stack.app_db.transaction() as s:
        cells = s.scalars(select(QueueCell).where(QueueCell.queue_id == keys.queue_id("brightpath", run_id)))
        return {c.model_key: c.status for c in cells}


def failed_calls(stack: Stack, run_id: str) -> list[af.ClearTaskInstancesBodyTaskIdsInner]:
    calls = (
        af.TaskInstanceApi(stack.client)
        .get_mapped_task_instances("process_org", run_id, "process_cell.call_ai")
        .task_instances
    )
    return [
        af.ClearTaskInstancesBodyTaskIdsInner(["process_cell.call_ai", ti.map_index])
        for ti in calls
        if ti.state == "failed"
    ]


def clear_tasks(
    stack: Stack, run_id: str, task_ids: list[af.ClearTaskInstancesBodyTaskIdsInner], **options: bool
) -> set[str]:
    """Clear task instances as the grid's Clear dialog does; returns the task ids it cleared."""
    body = af.ClearTaskInstancesBody(dag_run_id=run_id, dry_run=False, task_ids=task_ids, **options)
    cleared = af.TaskInstanceApi(stack.client).post_clear_task_instances("process_org", body).task_instances
    return {ti.task_id for ti in cleared}


def clear_run(stack: Stack, run_id: str, only_failed: bool) -> None:
    """The DAG run's Clear: every task, or only the failed ones."""
    body = af.DAGRunClearBody(dry_run=False, only_failed=only_failed)
    af.DagRunApi(stack.client).clear_dag_run("process_org", run_id, body)


def assert_recovered(stack: Stack, run_id: str) -> None:
    """Every cell completed, and the latest flags, the stored analytics and the pushed document all
    reflect them, with one row each."""
    queue = keys.queue_id("brightpath", run_id)
    with stack.app_db.transaction() as s:
        cells = s.scalars(select(QueueCell).where(QueueCell.queue_id == queue)).all()
        runs = s.scalars(select(QuestionRun).where(QuestionRun.queue_id == queue)).all()
        latest = {
            (r.question_key, r.model_key, r.location_key): r.queue_id
            for r in s.scalars(
                select(QuestionRun).where(
                    QuestionRun.org_id == "brightpath",
                    QuestionRun.is_latest.is_(True),
                    QuestionRun.location_key.in_({c.location_key for c in cells}),
                    QuestionRun.question_key.in_({c.question_key for c in cells}),
                )
            )
        }
        report = s.get(AnalyticsReport, queue)
        pushes = s.scalars(select(Push).where(Push.queue_id == queue)).all()
    assert cells and {c.status for c in cells} == {"completed"}
    assert sorted(r.id for r in runs) == sorted(c.key for c in cells)
    assert {c: latest.get(c) for c in ((c.question_key, c.model_key, c.location_key) for c in cells)} == {
        (c.question_key, c.model_key, c.location_key): queue for c in cells
    }
    assert report is not None
    assert report.document["coverage"]["succeeded"] == len(cells) and report.document["coverage"]["failed"] == 0
    assert report.document["queue"]["status"] == "completed"
    documents = list((stack.output / "brightpath" / queue).rglob("*.json"))
    assert len(documents) == 1 and json.loads(documents[0].read_text()) == report.document
    body = push.document_body(report.document)
    assert [(p.status, p.idempotency_key) for p in pushes] == [("pushed", push.idempotency_key(queue, body))]


def test_clearing_the_failed_calls_with_downstream_and_only_failed_reruns_them_and_refreshes_the_outputs(
    stack: Stack, outage_runs: dict[str, str]
) -> None:
    run_id = outage_runs["calls_with_downstream"]
    cleared = clear_tasks(stack, run_id, failed_calls(stack, run_id), include_downstream=True, only_failed=True)
    # The UI's usual choice leaves the outputs that succeeded alone: the check must refresh them.
    assert "check_cells" in cleared and "push_analytics" not in cleared
    assert stack.wait_for_run(run_id).state == "success"
    assert_recovered(stack, run_id)


def test_a_call_cleared_alone_then_the_runs_failed_tasks_cleared_recovers_the_run(
    stack: Stack, outage_runs: dict[str, str]
) -> None:
    run_id = outage_runs["one_call_then_failed_tasks"]
    (call,) = failed_calls(stack, run_id)
    assert clear_tasks(stack, run_id, [call], include_downstream=False, only_failed=False) == {"process_cell.call_ai"}
    # The cell's later steps were not cleared, so it cannot complete and the run stays failed.
    assert stack.wait_for_run(run_id).state == "failed"
    assert cell_statuses(stack, run_id)["sonar"] != "completed"
    clear_run(stack, run_id, only_failed=True)
    assert stack.wait_for_run(run_id).state == "success"
    assert_recovered(stack, run_id)


def test_clearing_the_runs_failed_tasks_recovers_the_run(stack: Stack, outage_runs: dict[str, str]) -> None:
    run_id = outage_runs["failed_tasks"]
    clear_run(stack, run_id, only_failed=True)
    assert stack.wait_for_run(run_id).state == "success"
    assert_recovered(stack, run_id)


def test_clearing_the_whole_run_recovers_it(stack: Stack, outage_runs: dict[str, str]) -> None:
    run_id = outage_runs["whole_run"]
    clear_run(stack, run_id, only_failed=False)
    assert stack.wait_for_run(run_id).state == "success"
    assert_recovered(stack, run_id)


def test_a_transient_failure_heals_through_the_task_retry(stack: Stack, trigger: Callable[..., str]) -> None:
    stack.simulator.simulator.requests = 0
    stack.simulator.simulator.config.update({"fail": "malformed", "fail_first": 1})
    try:
        run_id = trigger({**CONF, "models": ["gpt-4o"]})
        assert stack.wait_for_run(run_id).state == "success"
    finally:
        stack.simulator.simulator.config.clear()
    call = (
        af.TaskInstanceApi(stack.client)
        .get_mapped_task_instances("process_org", run_id, "process_cell.call_ai")
        .task_instances[0]
    )
    assert call.try_number == 2 and call.state == "success"

    # The engine answered the first call with HTTP 200 and a body cut off: it may have billed it, so
    # the ledger keeps it as `unreadable` (cost unknown) next to the retry's billed call, and the
    # document counts both as calls while its spend is the billed one's alone.
    queue = keys.queue_id("brightpath", run_id)
    with stack.app_db.transaction() as s:
        provider = AIModel.provider
        model = (AIModel.org_id == "brightpath") & (AIModel.key == UsageEntry.model_key)
        rows = s.execute(select(UsageEntry, provider).join(AIModel, model).where(UsageEntry.queue_id == queue)).all()
        report = s.get(AnalyticsReport, queue)
    ledger = sorted((u.purpose, u.attempt, u.seq, u.status, p, u.model_key, u.cost_usd > 0) for u, p in rows)
    assert ledger == [
        ("answer", 1, 1, "unreadable", "openai", "gpt-4o", False),
        ("answer", 2, 1, "billed", "openai", "gpt-4o", True),
    ]
    unreadable, billed = sorted((u for u, _ in rows), key=lambda u: u.attempt)
    assert (unreadable.cost_usd, unreadable.input_tokens, unreadable.output_tokens) == (0, 0, 0)
    assert report is not None
    cost = report.document["cost"]
    assert cost["calls"] == 2 and cost["by_model"]["gpt-4o"]["calls"] == 2
    assert cost["spent_usd"] == pytest.approx(billed.cost_usd)
    assert f"Cost ${billed.cost_usd:.4f} over 2 billed calls" in render_summary(report.document, [])


def test_the_results_plugin_serves_progress_and_report_behind_the_airflow_login(
    stack: Stack, trigger: Callable[..., str]
) -> None:
    import urllib.error
    import urllib.request

    run_id = trigger({**CONF, "models": ["gemini-flash"]})
    stack.wait_for_run(run_id)

    def get(path: str, token: str | None, dag_id: str = "process_org") -> tuple[int, bytes]:
        url = f"{stack.airflow.url}/ai-visibility/runs/{dag_id}/{run_id}{path}"
        request = urllib.request.Request(url, headers={"authorization": f"Bearer {token}"} if token else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()

    token = stack.token()
    status, body = get("/progress", token)
    progress = json.loads(body)
    assert status == 200 and progress["cells"] == {"total": 1, "completed": 1, "failed": 0, "running": 0, "pending": 0}
    assert progress["status"] == "completed" and progress["dag_run_id"] == run_id
    status, body = get("/report", token)
    assert status == 200 and b"1 of 1 cells succeeded" in body and b"SYNTHETIC" in body
    assert b'<section id="share-of-voice"><h2>Share of voice against competitors</h2><div class="chart"><svg' in body
    status, body = get("/analytics", token)
    assert status == 200 and json.loads(body)["queue"]["dag_run_id"] == run_id
    assert get("/progress", None)[0] in (401, 403)
    # Access is checked on the URL's dag_id, so a run is served only under the DAG it belongs to.
    assert get("/report", token, dag_id="schedule_orgs")[0] == 404
    plugins = af.PluginApi(stack.client).get_plugins().plugins
    ours = next(p for p in plugins if p.name == "ai_visibility")
    view = ours.external_views[0]
    assert view.destination == "dag_run" and view.href == "ai-visibility/runs/{DAG_ID}/{RUN_ID}/report"


def test_schedule_orgs_triggers_each_due_org_once_per_period(stack: Stack) -> None:
    runs = af.DagRunApi(stack.client)
    scheduler_runs = []
    for run_after in ("2026-11-24T06:00:00Z", "2026-11-24T07:00:00Z"):  # a Tuesday: only tinyco (daily) is due
        body = af.TriggerDAGRunPostBody(logical_date=None, run_after=run_after, conf={})
        run_id = str(runs.trigger_dag_run("schedule_orgs", body).dag_run_id)
        assert stack.wait_for_run(run_id, "schedule_orgs").state == "success"
        scheduler_runs.append(run_id)
    triggered = stack.wait_for_run("scheduled__tinyco__2026-11-24")
    assert triggered.state == "success" and triggered.conf == {"org_id": "tinyco"}
    tis = af.TaskInstanceApi(stack.client)
    first, second = (
        tis.get_mapped_task_instances("schedule_orgs", run_id, "trigger_process_org").task_instances
        for run_id in scheduler_runs
    )
    assert [ti.state for ti in first] == ["success"]
    assert [ti.state for ti in second] == ["skipped"]  # the period already had its run


@contextlib.contextmanager
def sonar_calls_in_flight(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts, at the simulator, the Sonar requests being answered at once; yields [the most seen].
    Each answer takes a second, so calls that did not wait for one another would overlap."""
    simulator = stack.simulator.simulator
    answer, lock, now, most = simulator.handle, threading.Lock(), [0], [0]

    def counting(method: str, path: str, body: bytes, headers: Mapping[str, str] | None = None) -> Reply:
        sonar = json.loads(body or b"{}").get("model") == "sonar"
        with lock:
            now[0] += sonar
            most[0] = max(most[0], now[0])
        try:
            return answer(method, path, body, headers)
        finally:
            with lock:
                now[0] -= sonar

    monkeypatch.setattr(simulator, "handle", counting)
    monkeypatch.setitem(simulator.config, "latency_ms", 1000)
    yield most


def test_each_ai_call_waits_in_its_providers_pool(
    stack: Stack, trigger: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pools = af.PoolApi(stack.client)
    perplexity = pools.get_pool("ai_perplexity")  # applied from airflow_settings.yaml
    assert perplexity.include_deferred and "requests/min" in (perplexity.description or "")

    def resize(slots: int) -> None:
        body = af.PoolPatchBody(pool="ai_perplexity", slots=slots, include_deferred=True)
        assert pools.patch_pool("ai_perplexity", body, update_mask=["slots"]).slots == slots

    resize(1)  # an operator lowers a provider's pool to the tier's limit, as on the Pools page
    try:
        questions = ["best-crm-startups", "crm-small-sales-team", "affordable-crm"]
        with sonar_calls_in_flight(stack, monkeypatch) as most:
            run_id = trigger({**CONF, "questions": questions, "models": ["sonar", "gpt-4o"]})
            assert stack.wait_for_run(run_id).state == "success"
    finally:
        resize(perplexity.slots)
    calls = (
        af.TaskInstanceApi(stack.client)
        .get_mapped_task_instances("process_org", run_id, "process_cell.call_ai")
        .task_instances
    )
    assert len(calls) == 6
    by_pool: dict[str, list[af.TaskInstanceResponse]] = {}
    for call in calls:
        by_pool.setdefault(call.pool, []).append(call)
        expected = "ai_perplexity" if "Perplexity Sonar" in str(call.rendered_map_index) else "ai_openai"
        assert call.pool == expected, call.rendered_map_index
    assert {pool: len(tis) for pool, tis in by_pool.items()} == {"ai_perplexity": 3, "ai_openai": 3}
    # One call at a time, counted where the provider sees them rather than read from the task
    # instances' start and end dates, which bound whole task processes.
    assert most == [1]
