"""A real local Airflow for this project, without Docker: api-server, scheduler (LocalExecutor),
dag-processor and triggerer as supervised child processes (`local_supervisor`: restarted when they
die, their whole process trees stopped with them), sharing one JWT secret and the execution API URL.
With the CeleryExecutor (`EXECUTOR=celery`), two Celery workers run beside them and take the tasks
from Redis, as the workers of several machines would.

`make airflow` runs it in the foreground (Ctrl-C stops it; `make airflow-stop` from elsewhere);
the end-to-end tests start and stop it the same way. The metadata database is PostgreSQL when
`AIRFLOW_DATABASE_URL` is set, else SQLite under the Airflow home (LocalExecutor only: Celery needs
a database its workers and the scheduler share over the network).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ai_visibility.settings import Settings
from ai_visibility_airflow.local_supervisor import Supervisor, stop_from_pidfile
from ai_visibility_airflow.worker_hostname import HOSTNAME_CALLABLE, WORKER_HOSTNAME_ENV

# `python -m <module> <args>`: Airflow's CLI, and for the processes that fork the task processes
# (the scheduler with its LocalExecutor, the Celery workers) the same with the micro-steps' imports
# loaded before they fork (preloaded_airflow.py).
PRELOADED_AIRFLOW = "ai_visibility_airflow.preloaded_airflow"
PROCESSES = {
    "api-server": ["airflow", "api-server"],
    "scheduler": [PRELOADED_AIRFLOW, "scheduler"],
    "dag-processor": ["airflow", "dag-processor"],
    "triggerer": ["airflow", "triggerer"],
}
CELERY_WORKERS = 2


def processes(celery: bool) -> dict[str, list[str]]:
    """The Airflow processes to run; under Celery the workers fork the tasks, so the scheduler runs
    plain (the preload would only cost it memory), as docker-compose.yml does."""
    return {**PROCESSES, "scheduler": ["airflow", "scheduler"]} if celery else dict(PROCESSES)


EXECUTORS = {"local": "LocalExecutor", "celery": "CeleryExecutor"}
REDIS_URL = "redis://127.0.0.1:6379/0"
USER = "admin"
TASK_HEARTBEAT_TIMEOUT_S = 90  # a 60 s step plus slack; see airflow_env
ORPHANED_TASKS_CHECK_S = 30


def step_slots(cores: int | None = None) -> int:
    """Task processes that may run at once besides the AI calls: two per core. Every step but the AI
    call spends its time on CPU (starting the task process, parsing the DAG file, extracting) or
    waiting briefly on the databases, so more would only queue for the cores: issue #12 measured a
    7 ms step waiting 10 s at 16 processes on 2 cores."""
    return 2 * (cores or os.cpu_count() or 1)


def _secret(path: Path, make: int = 32) -> str:
    if not path.exists():
        path.write_text(secrets.token_urlsafe(make))
        path.chmod(0o600)
    return path.read_text().strip()


def airflow_env(
    home: Path,
    project: Path,
    port: int,
    metadata_url: str | None = None,
    log_port: int = 8793,
    ai_slots: int | None = None,
    executor: str = "local",
) -> dict[str, str]:
    """The environment every Airflow process of this instance shares (`log_port`: the worker log
    server's, so that two instances can run side by side on one machine; `ai_slots`: the AI calls in
    flight, `AI_VISIBILITY_AI_CONCURRENCY` unless given; `executor`: `local` or `celery`)."""
    if executor not in EXECUTORS:
        raise ValueError(f"EXECUTOR={executor!r}: use one of {sorted(EXECUTORS)}")
    if executor == "celery" and not (metadata_url or "").startswith("postgresql"):
        raise ValueError(
            "EXECUTOR=celery needs the metadata database on PostgreSQL, which the scheduler and the Celery "
            "workers share (and Celery keeps its results in): set AIRFLOW_DATABASE_URL="
            "postgresql+psycopg2://user:pass@host/db"
        )
    home.mkdir(parents=True, exist_ok=True)
    ai_slots = Settings.from_env().ai_concurrency if ai_slots is None else ai_slots
    password = _secret(home / "admin_password", 12)
    (home / "simple_auth_manager_passwords.json.generated").write_text(json.dumps({USER: password}))
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(project / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(project / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": EXECUTORS[executor],
        # Sized to the machine: the default pool (every task but the AI calls, which wait in their
        # providers' pools) gets the step slots, and the executor room for those plus the AI calls,
        # so that AI calls never wait for CPU-bound steps nor steps for AI calls. `main` applies
        # the pool size to an existing database too.
        "AIRFLOW__CORE__DEFAULT_POOL_TASK_SLOT_COUNT": str(step_slots()),
        "AIRFLOW__CORE__PARALLELISM": str(step_slots() + ai_slots),
        # New DAG rows start unpaused, so a triggered run runs and schedule_orgs fires; a DAG someone
        # paused stays paused (`main` names it at start). The Makefile and compose set the same.
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url or f"sqlite:///{home}/airflow.db",
        "AIRFLOW__API_AUTH__JWT_SECRET": _secret(home / "jwt_secret"),
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(log_port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        # A task's supervisor heartbeats every 5 s; the default 300 s before a silent one is failed
        # would hold a dead step's AI slot for five minutes when no step may run longer than one.
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(TASK_HEARTBEAT_TIMEOUT_S),
        # A restarted scheduler resets the tasks of the one it replaced once that one has been silent
        # for `scheduler_health_check_threshold` (30 s), at this interval instead of every 300 s.
        "AIRFLOW__SCHEDULER__ORPHANED_TASKS_CHECK_INTERVAL": str(ORPHANED_TASKS_CHECK_S),
    }
    if executor == "celery":
        env.update(celery_env(port))
    return env


def celery_env(port: int) -> dict[str, str]:
    """The CeleryExecutor's settings: Redis as the broker (`AIRFLOW__CELERY__BROKER_URL`, else the local
    Redis), results in the metadata database (the provider's default). Every Redis key of this instance
    carries its own prefix, so two instances (a test stack beside `make airflow`) never take each
    other's tasks."""
    return {
        "AIRFLOW__CELERY__BROKER_URL": os.environ.get("AIRFLOW__CELERY__BROKER_URL", REDIS_URL),
        "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__GLOBAL_KEYPREFIX": f"ai-visibility-{port}:",
        # A task not acknowledged within this is handed to another worker: far beyond any step or group.
        "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT": "86400",
        # Each worker logs the tasks it receives, so its log says which tasks ran on it.
        "AIRFLOW__LOGGING__CELERY_LOGGING_LEVEL": "INFO",
        # Task processes per worker: two workers share this machine's cores.
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": os.environ.get("AIRFLOW__CELERY__WORKER_CONCURRENCY", "4"),
    }


def celery_workers(port: int, log_ports: Sequence[int]) -> dict[str, list[str]]:
    """The Celery worker processes, each with its own log server port (they share one host), a name
    unique to this instance, and a host of its own in the task instances they run: 127.0.0.2,
    127.0.0.3, ... (this machine's loopback, where the api-server still finds a running task's log),
    so the grid's Hostname column says which worker ran each task. Like the scheduler, each loads the
    micro-steps' imports before it forks its pool, whose processes fork the task processes."""
    return {
        f"worker-{n}": [
            "env",
            f"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT={log_port}",
            f"AIRFLOW__CORE__HOSTNAME_CALLABLE={HOSTNAME_CALLABLE}",
            f"{WORKER_HOSTNAME_ENV}=127.0.0.{n + 1}",
            sys.executable,
            "-m",
            PRELOADED_AIRFLOW,
            "celery",
            "worker",
            "--celery-hostname",
            f"worker{n}-{port}@%h",
        ]
        for n, log_port in enumerate(log_ports, start=1)
    }


def paused_dags(metadata_url: str, dags_folder: Path) -> list[str]:
    """The DAGs of `dags_folder` paused in the metadata database: their runs stay queued. Read before
    the processes start, so it is what an earlier session left (a pause, or rows created paused)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(metadata_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT dag_id, fileloc FROM dag WHERE is_paused AND NOT is_stale")).all()
    finally:
        engine.dispose()
    return sorted(dag_id for dag_id, fileloc in rows if fileloc and Path(fileloc).parent == dags_folder)


@dataclass
class LocalAirflow:
    home: Path
    port: int
    env: dict[str, str]
    supervisor: Supervisor | None = None
    # With the CeleryExecutor: each worker's log server port (one worker each).
    worker_log_ports: Sequence[int] = field(default_factory=tuple)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def password(self) -> str:
        return (self.home / "admin_password").read_text().strip()

    @property
    def pidfile(self) -> Path:
        return self.home / "airflow.pids"

    def run(self, *args: str) -> None:
        """One `airflow ...` command in this instance's environment; fails with its output."""
        done = subprocess.run(
            [sys.executable, "-m", "airflow", *args], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")

    def prepare(self, settings_file: Path) -> None:
        self.run("db", "migrate")
        done = subprocess.run(
            [sys.executable, "-m", "ai_visibility_airflow.local_settings", str(settings_file)],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"applying {settings_file} failed:\n{done.stderr[-3000:]}")
        print(done.stdout.strip(), flush=True)

    def start(self) -> None:
        """Start every process under a supervisor that restarts the ones that die."""
        commands = {
            name: [sys.executable, "-m", *args] for name, args in processes(bool(self.worker_log_ports)).items()
        }
        commands.update(celery_workers(self.port, self.worker_log_ports))
        self.supervisor = Supervisor(commands, self.env, self.home / "logs", pidfile=self.pidfile)
        self.supervisor.start_in_background()

    def wait_healthy(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.supervisor is not None and self.supervisor.given_up:
                dying = self.supervisor.given_up
                raise RuntimeError(f"Airflow processes kept dying: {dying}; see {self.home / 'logs'}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/monitor/health", timeout=5) as response:  # noqa: S310
                    health = json.load(response)
                if health.get("scheduler", {}).get("status") == "healthy":
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
                pass
            time.sleep(1)
        raise TimeoutError(f"Airflow at {self.url} was not healthy within {timeout_s:g}s; see {self.home / 'logs'}")

    def stop(self) -> None:
        """SIGTERM every process group and its descendants, then SIGKILL what is left after the grace."""
        if self.supervisor is not None:
            self.supervisor.stop()


def main() -> int:
    project = Path.cwd()
    home = Path(os.environ.get("AIRFLOW_HOME", project / ".airflow"))
    if sys.argv[1:] == ["stop"]:
        stopped = stop_from_pidfile(home / "airflow.pids")
        print("stopped the local Airflow" if stopped else f"no local Airflow is running from {home}")
        return 0
    port = int(os.environ.get("AIRFLOW_PORT", "8080"))
    executor = os.environ.get("EXECUTOR") or "local"
    try:
        env = airflow_env(home, project, port, os.environ.get("AIRFLOW_DATABASE_URL"), executor=executor)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    # The scheduler's log server keeps 8793; the workers take the ports after it.
    log_ports = [8793 + n for n in range(1, CELERY_WORKERS + 1)] if executor == "celery" else []
    airflow = LocalAirflow(home, port, env, worker_log_ports=log_ports)
    if stop_from_pidfile(airflow.pidfile):
        print("stopped what was left of the previous local Airflow", flush=True)
    airflow.prepare(project / "airflow_settings.yaml")
    # A new database gets this size from `db migrate`; one made before (or on another machine) is resized.
    slots = airflow.env["AIRFLOW__CORE__DEFAULT_POOL_TASK_SLOT_COUNT"]
    airflow.run("pools", "set", "default_pool", slots, "Every task but the AI calls: two per core")
    # Not unpaused here: a pause is the operator's, kept across restarts as in any Airflow. Said, since
    # a run triggered on a paused DAG only waits, queued, without a word.
    for dag_id in paused_dags(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], project / "dags"):
        print(
            f"{dag_id} is paused: its runs stay queued (and a scheduled DAG does not fire) until it is "
            f'unpaused, with the toggle beside it in the UI or PATCH /api/v2/dags/{dag_id} {{"is_paused": false}}',
            flush=True,
        )
    stopping = False

    def on_signal(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    airflow.start()
    try:
        airflow.wait_healthy()
        workers = f", {len(log_ports)} Celery workers" if log_ports else ""
        print(f"\nAirflow is up: {airflow.url}  (user {USER}, password {airflow.password}){workers}")
        print(f"Logs in {home / 'logs'}. Ctrl-C or `make airflow-stop` stops it.\n", flush=True)
        while not stopping and airflow.supervisor is not None and not airflow.supervisor.given_up:
            time.sleep(1)
    finally:
        print("stopping Airflow ...", flush=True)
        airflow.stop()
    return 1 if airflow.supervisor is not None and airflow.supervisor.given_up else 0


if __name__ == "__main__":
    sys.exit(main())
