"""How close `process_org` runs to what the AI engines allow, on a real Airflow (a script that prints
figures, not a test: they depend on the machine and on what else runs on it).

    make bench                       # every scenario
    make bench SCENARIOS=45x2,45x10  # some of them
    make bench EXECUTOR=celery       # the same on the CeleryExecutor, where the local Airflow has it

Starts the local Airflow of `make airflow` (LocalExecutor unless `--executor`; PostgreSQL for the
metadata and the app databases, both created for the run and dropped after it) with the simulator
answering after L seconds, then, for each scenario, runs `process_org` over a synthetic org of that
many cells and `bare_cells` (bench/dags: the same shape with trivial steps) in the same instance,
and prints per scenario:

- wall (queued → end of the run), the floor (per provider: cells × L / slots, the largest over
  providers and the overall AI limit) and their ratio, and the bare DAG's wall and process_org's ratio
  to it;
- task instances, task instances per minute, the first completed cell (from the run's start), and
  the run's time before its first AI call started and after its last one ended;
- CPU-seconds per task instance and peak memory of all Airflow processes (scheduler, executor and
  task processes, api-server, dag-processor, triggerer; PostgreSQL not included; memory is the sum of
  resident sets, shared pages counted in every process);
- per step: the median duration and the median wait from queued to started, from the metadata DB.

Scenarios whose conf or executor the code does not support yet are reported as "not run".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]  # Airflow's dependency; no stubs installed
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from ai_visibility.db import Database
from ai_visibility.db.migrate import upgrade
from ai_visibility.demo import DEMO_ORG_FILE
from ai_visibility.org_spec import LocationSpec, ModelSpec, OrgSpec, QuestionSpec, read_org_file
from ai_visibility.org_store import save_org
from ai_visibility.simulator.server import serve_in_thread
from ai_visibility_airflow.local_airflow import (
    CELERY_WORKERS,
    EXECUTORS,
    USER,
    LocalAirflow,
    airflow_env,
    step_slots,
)
from ai_visibility_airflow.provider_pools import pool_for

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN_URL = os.environ.get("AI_VISIBILITY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# The pools of airflow_settings.yaml, by provider (the bench applies that file).
POOL_SLOTS = {"openai": 8, "perplexity": 5, "gemini": 8, "anthropic": 8, "openrouter": 8}
EXTRA_MODELS = [
    ModelSpec(
        key="claude", label="Claude Sonnet 4.5", provider="anthropic", api_model="claude-sonnet-4-5", conn_id="x"
    ),
    ModelSpec(
        key="router",
        label="Sonnet via OpenRouter",
        provider="openrouter",
        api_model="anthropic/claude-sonnet-4.5",
        conn_id="x",
    ),
]
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "PL", "CA", "AU", "IE", "AT", "CH", "BE", "DK"]
LANGUAGES = ["en", "es", "fr", "de"]  # a larger matrix asks each country again in another language


@dataclass(frozen=True)
class Scenario:
    name: str
    questions: int
    models: int
    locations: int
    latency_s: float
    ai_slots: int
    cells_per_task: int | None = None
    # Each AI pool's slots for this scenario (else airflow_settings.yaml's): with groups, the pools
    # rather than the instance limit keep the calls in flight at `ai_slots`.
    pool_slots: int | None = None

    def pool(self, provider: str) -> int:
        return self.pool_slots or POOL_SLOTS[provider]

    def calls_per_group(self, provider: str) -> int:
        """A group's AI calls at once: as many as the slots its instance holds."""
        return min(self.cells_per_task or 1, self.ai_slots, self.pool(provider))

    @property
    def cells(self) -> int:
        return self.questions * self.models * self.locations

    @property
    def tasks(self) -> int:
        """Mapped items: a group holds cells of one model."""
        per_model = self.questions * self.locations
        return self.models * -(-per_model // (self.cells_per_task or 1))


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("45x2", 5, 3, 3, 2, 3),
        Scenario("45x10", 5, 3, 3, 10, 3),
        # The same 3 calls in flight at L = 10 s, in groups of 5 (or 15) cells of one model: one slot per
        # provider's pool, so each group makes one call at a time and one group per provider calls at once.
        Scenario("45x10c5", 5, 3, 3, 10, 3, cells_per_task=5, pool_slots=1),
        Scenario("45x10c15", 5, 3, 3, 10, 3, cells_per_task=15, pool_slots=1),
        # The 300 cells one per task, then each size with the `cells_per_task` that the README's
        # Capacity section advises for it (10 from a few hundred cells, 50 for many thousands).
        Scenario("300x1", 10, 5, 6, 1, 12),
        Scenario("300x1c10", 10, 5, 6, 1, 12, cells_per_task=10),
        Scenario("1000x1c10", 20, 5, 10, 1, 12, cells_per_task=10),
        Scenario("1000x1c50", 20, 5, 10, 1, 12, cells_per_task=50),
        Scenario("5000x1c50", 50, 5, 20, 1, 12, cells_per_task=50),
    )
}


@dataclass
class RunFigures:
    state: str
    wall_s: float
    task_instances: int
    first_cell_s: float | None
    # Around the AI calls: queued → the first call's start, and the last call's end → the run's end.
    head_s: float | None
    tail_s: float | None
    cpu_s: float
    peak_rss_mb: float
    transactions: dict[str, int] = field(default_factory=dict)  # committed, per database: its load
    steps: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Result:
    scenario: Scenario
    executor: str
    floor_s: float
    slots: str
    process_org: RunFigures | None = None
    bare: RunFigures | None = None
    not_run: str | None = None


def bench_org(scenario: Scenario, conn_id: str) -> OrgSpec:
    """The demo org grown to the scenario's matrix, every model answered by the simulator at `conn_id`."""
    demo = read_org_file(DEMO_ORG_FILE)
    models = [*demo.models, *EXTRA_MODELS][: scenario.models]
    questions = [
        QuestionSpec(key=f"{q.key}-{n}" if n else q.key, text=f"{q.text} ({n})" if n else q.text, tags=q.tags)
        for n in range(-(-scenario.questions // len(demo.questions)))
        for q in demo.questions
    ][: scenario.questions]
    locations = [
        LocationSpec(key=f"{country}-{n}".lower(), country=country, language=LANGUAGES[n % len(LANGUAGES)])
        for n in range(-(-scenario.locations // len(COUNTRIES)))
        for country in COUNTRIES
    ][: scenario.locations]
    return demo.model_copy(
        update={
            "id": f"bench-{scenario.name}",
            "models": [m.model_copy(update={"conn_id": conn_id}) for m in models],
            "questions": questions,
            "locations": locations,
        }
    )


def floor(scenario: Scenario, org: OrgSpec) -> tuple[float, str]:
    """The least wall the AI engines allow: each provider's cells × L over its slots (its pool, within
    the overall AI limit), and all cells × L over the overall limit; the largest of these."""
    per_provider = {}
    for provider in dict.fromkeys(m.provider for m in org.models):
        cells = scenario.cells // scenario.models * sum(m.provider == provider for m in org.models)
        per_provider[provider] = cells * scenario.latency_s / min(scenario.pool(provider), scenario.ai_slots)
    overall = scenario.cells * scenario.latency_s / scenario.ai_slots
    pools = "/".join(str(scenario.pool(p)) for p in per_provider)
    return max(overall, *per_provider.values()), f"{scenario.ai_slots} (pools {pools})"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TreeSampler:
    """CPU and peak memory of every process this one started (Airflow's, with the task processes their
    executors forked and reaped: their CPU is in the parents' children times)."""

    def __init__(self) -> None:
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @staticmethod
    def _tree() -> list[Any]:
        return list(psutil.Process().children(recursive=True))

    def cpu_s(self) -> float:
        total = 0.0
        for proc in self._tree():
            with suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
        return total

    def _rss(self) -> int:
        total = 0
        for proc in self._tree():
            with suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def __enter__(self) -> TreeSampler:
        def sample() -> None:
            while not self._stop.wait(1):
                self.peak_rss = max(self.peak_rss, self._rss())

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


class Api:
    def __init__(self, airflow: LocalAirflow) -> None:
        self.url = airflow.url
        body = {"username": USER, "password": airflow.password}
        self.token = str(self._call("POST", "/auth/token", body, auth=False)["access_token"])

    def _call(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        headers = {"content-type": "application/json"}
        if auth:
            headers["authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # the local api-server
            return json.load(response)

    def set_pool(self, name: str, slots: int) -> None:
        self._call("PATCH", f"/api/v2/pools/{name}?update_mask=slots", {"slots": slots})

    def wait_for_dags(self, dag_ids: list[str], timeout_s: float = 180) -> None:
        deadline = time.monotonic() + timeout_s
        missing = list(dag_ids)
        while missing and time.monotonic() < deadline:
            for dag_id in list(missing):
                try:
                    self._call("GET", f"/api/v2/dags/{dag_id}")
                    missing.remove(dag_id)
                except urllib.error.HTTPError:
                    pass
            time.sleep(2)
        if missing:
            raise TimeoutError(f"the dag-processor did not register {missing} within {timeout_s:g}s")

    def trigger(self, dag_id: str, conf: dict[str, Any]) -> str:
        """The new run's id; ValueError with Airflow's message when the conf is refused."""
        try:
            run = self._call("POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": None, "conf": conf})
        except urllib.error.HTTPError as exc:
            if exc.code in (400, 422):
                raise ValueError(exc.read().decode(errors="replace")[:300]) from None
            raise
        return str(run["dag_run_id"])

    def wait(self, dag_id: str, run_id: str, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            state = str(self._call("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")["state"])
            if state in ("success", "failed"):
                return state
            time.sleep(1)
        return "timed out"


def transactions(metadata: Engine) -> dict[str, int]:
    """Transactions committed so far in the bench's two databases (PostgreSQL's statistics)."""
    with metadata.connect() as conn:
        rows = conn.execute(
            text("SELECT datname, xact_commit FROM pg_stat_database WHERE datname LIKE 'aiv_bench_%'")
        ).all()
    return {("metadata" if "_meta_" in name else "app"): int(count) for name, count in rows}


def run_figures(
    metadata: Engine, dag_id: str, run_id: str, cell_steps: tuple[str, str], state: str, cpu_s: float, peak: int
) -> RunFigures:
    """The run's figures from the metadata database (every time is Airflow's own record); `cell_steps`:
    a cell's AI call and its last step."""
    first_step, last_step = cell_steps
    with metadata.connect() as conn:
        queued, ended = conn.execute(
            text("SELECT queued_at, end_date FROM dag_run WHERE dag_id = :d AND run_id = :r"),
            {"d": dag_id, "r": run_id},
        ).one()
        tis = conn.execute(
            text(
                "SELECT task_id, state, queued_dttm, start_date, end_date FROM task_instance "
                "WHERE dag_id = :d AND run_id = :r"
            ),
            {"d": dag_id, "r": run_id},
        ).all()
    ended = ended or datetime.now(UTC)
    steps: dict[str, dict[str, list[float]]] = {}
    for task_id, _, queued_at, started, finished in tis:
        if started is None or finished is None:
            continue
        figures = steps.setdefault(task_id.rsplit(".", 1)[-1], {"duration": [], "wait": []})
        figures["duration"].append((finished - started).total_seconds())
        if queued_at is not None:
            figures["wait"].append((started - queued_at).total_seconds())
    cells_done = [f for t, s, _, _, f in tis if t.endswith(f".{last_step}") and s == "success" and f]
    calls = [(started, finished) for t, _, _, started, finished in tis if t.endswith(f".{first_step}") and finished]
    first = (min(cells_done) - queued).total_seconds() if cells_done else None
    return RunFigures(
        state=state,
        wall_s=(ended - queued).total_seconds(),
        task_instances=len(tis),
        first_cell_s=first,
        head_s=(min(c[0] for c in calls) - queued).total_seconds() if calls else None,
        tail_s=(ended - max(c[1] for c in calls)).total_seconds() if calls else None,
        cpu_s=cpu_s,
        peak_rss_mb=peak / 2**20,
        steps={
            step: {
                "count": len(f["duration"]),
                "median_s": statistics.median(f["duration"]),
                "median_wait_s": statistics.median(f["wait"]) if f["wait"] else 0.0,
            }
            for step, f in steps.items()
        },
    )


def measured_run(
    api: Api, metadata: Engine, dag_id: str, conf: dict[str, Any], cell_steps: tuple[str, str], timeout_s: float
) -> RunFigures:
    sampler = TreeSampler()
    with sampler:
        cpu_before, xacts_before = sampler.cpu_s(), transactions(metadata)
        run_id = api.trigger(dag_id, conf)
        state = api.wait(dag_id, run_id, timeout_s)
        time.sleep(2)  # the last task processes are reaped (their CPU counted in their parents'), stats flushed
        cpu = sampler.cpu_s() - cpu_before
        xacts = {db: n - xacts_before.get(db, 0) for db, n in transactions(metadata).items()}
    figures = run_figures(metadata, dag_id, run_id, cell_steps, state, cpu, sampler.peak_rss)
    figures.transactions = xacts
    return figures


@contextmanager
def databases(admin: Engine) -> Iterator[tuple[str, str]]:
    suffix = uuid.uuid4().hex[:10]
    names = [f"aiv_bench_meta_{suffix}", f"aiv_bench_app_{suffix}"]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    urls = [make_url(PG_ADMIN_URL).set(database=n).render_as_string(hide_password=False) for n in names]
    try:
        yield urls[0], urls[1]
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def conn_id_for(latency_s: float) -> str:
    return f"bench_sim_{int(latency_s * 1000)}"


@contextmanager
def local_airflow(scenarios: list[Scenario], executor: str, workdir: Path) -> Iterator[tuple[Api, Engine]]:
    """A local Airflow with process_org and bare_cells, an app database holding each scenario's org,
    and one simulator per latency; stopped and dropped afterwards. NotImplementedError when the local
    Airflow does not start `executor`."""
    ai_slots = scenarios[0].ai_slots
    port = _free_port()
    if executor not in EXECUTORS:
        raise NotImplementedError(f"this local Airflow has no {executor} executor (EXECUTOR={executor})")
    dags = workdir / "dags"
    dags.mkdir()
    # Not schedule_orgs: its cron would start runs of its own (the bench orgs are due on Mondays).
    for dag_file in (ROOT / "dags" / "process_org.py", ROOT / "bench" / "dags" / "bare_cells.py"):
        shutil.copy(dag_file, dags)
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    servers = {
        latency: serve_in_thread({"latency_ms": int(latency * 1000)}) for latency in {s.latency_s for s in scenarios}
    }
    try:
        with databases(admin) as (metadata_url, app_url):
            upgrade(app_url)
            app_db = Database(app_url)
            for scenario in scenarios:
                save_org(app_db, bench_org(scenario, conn_id_for(scenario.latency_s)))
            app_db.dispose()
            app = make_url(app_url)
            airflow_url = metadata_url.replace("+psycopg:", "+psycopg2:")
            env = airflow_env(
                workdir / "home", ROOT, port, airflow_url, log_port=_free_port(), ai_slots=ai_slots, executor=executor
            )
            env.update(
                {
                    "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
                    "AIRFLOW_CONN_AI_VISIBILITY_DB": json.dumps(
                        {"conn_type": "postgres", "host": app.host, "port": app.port, "login": app.username}
                        | {"schema": app.database}
                    ),
                    **{
                        f"AIRFLOW_CONN_{conn_id_for(latency).upper()}": json.dumps(
                            {"conn_type": "openai", "host": url, "password": "sk-bench"}
                        )
                        for latency, (_, url) in servers.items()
                    },
                    "AI_VISIBILITY_AI_CONCURRENCY": str(ai_slots),
                    "AI_VISIBILITY_PUSH_TO": str(workdir / "output"),
                }
            )
            # With the CeleryExecutor, two workers as `make airflow EXECUTOR=celery` starts them.
            log_ports = [_free_port() for _ in range(CELERY_WORKERS)] if executor == "celery" else []
            airflow = LocalAirflow(workdir / "home", port, env, worker_log_ports=log_ports)
            meta_engine = create_engine(metadata_url)
            try:
                airflow.prepare(ROOT / "airflow_settings.yaml")
                airflow.run("pools", "set", "bench_ai", str(ai_slots), "bare_cells: the AI limit of process_org")
                airflow.start()
                airflow.wait_healthy(240)
                api = Api(airflow)
                api.wait_for_dags(["process_org", "bare_cells"])
                yield api, meta_engine
            finally:
                airflow.stop()
                meta_engine.dispose()
    finally:
        for server, _ in servers.values():
            server.shutdown()
            server.server_close()
        admin.dispose()


def run_group(scenarios: list[Scenario], executor: str) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="aiv-bench-") as tmp:
        try:
            with local_airflow(scenarios, executor, Path(tmp)) as (api, metadata):
                for scenario in scenarios:
                    results.append(run_scenario(api, metadata, scenario, executor))
                    print_result(results[-1])
        except NotImplementedError as exc:
            return [Result(s, executor, *floor(s, bench_org(s, "x")), not_run=str(exc)) for s in scenarios]
    return results


def run_scenario(api: Api, metadata: Engine, scenario: Scenario, executor: str) -> Result:
    org = bench_org(scenario, conn_id_for(scenario.latency_s))
    floor_s, slots = floor(scenario, org)
    result = Result(scenario, executor, floor_s, slots)
    # The AI's floor many times over, and a second per task instance: a run that is only slow finishes.
    timeout_s = 300 + 8 * floor_s + 6 * (scenario.tasks + 1)
    conf: dict[str, Any] = {"org_id": org.id}
    if scenario.cells_per_task:
        conf["cells_per_task"] = scenario.cells_per_task
    print(f"\n{scenario.name}: {scenario.cells} cells, L = {scenario.latency_s:g} s, {slots} AI slots", flush=True)
    with scenario_pools(api, scenario, org):
        try:
            result.process_org = measured_run(
                api, metadata, "process_org", conf, ("call_ai", "calculate_metrics"), timeout_s
            )
        except ValueError as exc:
            result.not_run = f"process_org refused the conf {conf}: {exc}"
            return result
        if result.process_org.state != "success":
            return result  # the yardstick would only say how fast Airflow is: not worth the machine's time
        bare_conf: dict[str, Any] = {
            "cells": scenario.cells,
            "latency_s": scenario.latency_s,
            "cells_per_task": scenario.cells_per_task,
        }
        if scenario.pool_slots:
            # The bare DAG has one pool for every provider: its groups make the calls at once that the
            # scenario's pools give process_org's, and its limit of `ai_slots` instances keeps the calls
            # in flight the same.
            bare_conf["calls_per_group"] = min(scenario.calls_per_group(m.provider) for m in org.models)
        result.bare = measured_run(api, metadata, "bare_cells", bare_conf, ("call", "metrics"), timeout_s)
    return result


@contextmanager
def scenario_pools(api: Api, scenario: Scenario, org: OrgSpec) -> Iterator[None]:
    """The scenario's AI pool sizes for its runs, airflow_settings.yaml's again afterwards."""
    providers = list(dict.fromkeys(m.provider for m in org.models))
    if scenario.pool_slots is None:
        yield
        return
    for provider in providers:
        api.set_pool(pool_for(provider), scenario.pool(provider))
    try:
        yield
    finally:
        for provider in providers:
            api.set_pool(pool_for(provider), POOL_SLOTS[provider])


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"


def print_result(r: Result) -> None:
    if r.not_run or r.process_org is None:
        print(f"  not run: {r.not_run}")
        return
    for label, run in (("process_org", r.process_org), ("bare_cells", r.bare)):
        if run is None:
            continue
        print(
            f"  {label}: {run.state}, wall {_s(run.wall_s)}, {run.task_instances} TIs, "
            f"first cell {_s(run.first_cell_s)}, before the first AI call {_s(run.head_s)}, "
            f"after the last {_s(run.tail_s)}, {run.cpu_s / max(run.task_instances, 1):.2f} CPU-s/TI, "
            f"peak {run.peak_rss_mb:.0f} MB, transactions per TI: "
            + ", ".join(f"{db} {n / max(run.task_instances, 1):.0f}" for db, n in sorted(run.transactions.items()))
        )
        print(f"    {'step':<22} {'TIs':>5} {'median':>8} {'queued→start':>13}")
        for step, f in sorted(run.steps.items(), key=lambda kv: -kv[1]["count"]):
            print(f"    {step:<22} {f['count']:>5.0f} {f['median_s']:>7.2f}s {f['median_wait_s']:>12.2f}s")
    sys.stdout.flush()  # a run takes minutes: its lines should reach a log file as it ends, not at exit


def print_table(results: list[Result]) -> None:
    head = (
        "| scenario | executor | cells | cells/task | L | AI slots | wall | floor | ×floor | bare wall | ×bare | TIs "
        "| TIs/min | CPU-s/TI | peak MB | first cell | before 1st AI call / after last |"
    )
    print("\n" + head)
    print("|" + "---|" * head.count(" | ") + "---|")
    for r in results:
        s, p, b = r.scenario, r.process_org, r.bare
        lead = f"| {s.name} | {r.executor} | {s.cells} | {s.cells_per_task or 1} | {s.latency_s:g} s | {r.slots} |"
        if r.not_run or p is None:
            print(f"{lead} not run: {r.not_run} |" + " |" * 10)
            continue
        state = "" if p.state == "success" else f" ({p.state})"
        print(
            f"{lead} {_s(p.wall_s)}{state} | {_s(r.floor_s)} | {p.wall_s / r.floor_s:.2f} | "
            f"{_s(b.wall_s) if b else '-'} | {p.wall_s / b.wall_s if b else 0:.2f} | {p.task_instances} | "
            f"{p.task_instances / p.wall_s * 60:.0f} | {p.cpu_s / max(p.task_instances, 1):.2f} | "
            f"{p.peak_rss_mb:.0f} | {_s(p.first_cell_s)} | {_s(p.head_s)} / {_s(p.tail_s)} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {list(SCENARIOS)}")
    parser.add_argument("--executor", default="local", help="local (LocalExecutor) or celery")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    unknown = [n for n in args.scenarios.split(",") if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenarios {unknown}: use {list(SCENARIOS)}")
    chosen = [SCENARIOS[n] for n in args.scenarios.split(",")]
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"{psutil.virtual_memory().total / 2**30:.1f} GB; step slots {step_slots()}",
        flush=True,
    )
    results: list[Result] = []
    for ai_slots in dict.fromkeys(s.ai_slots for s in chosen):
        results += run_group([s for s in chosen if s.ai_slots == ai_slots], args.executor)
    print_table(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
