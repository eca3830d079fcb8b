"""`make airflow`'s environment: the failure-detection settings are real Airflow options (a
misspelt `AIRFLOW__...` variable is silently ignored) and fit steps of at most a minute."""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ai_visibility.settings import Settings
from ai_visibility_airflow.local_airflow import PROCESSES, airflow_env, celery_workers, processes
from ai_visibility_airflow.worker_hostname import WORKER_HOSTNAME_ENV

ROOT = Path(__file__).resolve().parents[2]


def _options(env: dict[str, str]) -> dict[tuple[str, str], str]:
    return {
        tuple(name.removeprefix("AIRFLOW__").lower().split("__", 1)): value  # type: ignore[misc]
        for name, value in env.items()
        if name.startswith("AIRFLOW__")
    }


def test_every_option_the_local_airflow_sets_exists_in_airflow(tmp_path: Path) -> None:
    from airflow.configuration import conf

    known = conf.configuration_description  # config.yml: every section and option Airflow reads
    options = _options(airflow_env(tmp_path, ROOT, 8080))
    assert [(s, o) for s, o in options if o not in known.get(s, {}).get("options", {})] == []


def test_a_dead_task_is_noticed_soon_after_a_step_could_have_ended(tmp_path: Path) -> None:
    from airflow.configuration import conf

    options = _options(airflow_env(tmp_path, ROOT, 8080))
    timeout = int(options[("scheduler", "task_instance_heartbeat_timeout")])
    heartbeat = conf.getint("workers", "min_heartbeat_interval")
    assert Settings().step_timeout_s < timeout <= 120  # not the default 300 s: about 6 minutes with detection
    assert timeout >= 10 * heartbeat  # a slow api-server does not fail live tasks
    assert int(options[("scheduler", "orphaned_tasks_check_interval")]) <= 60


def test_steps_are_bounded_by_the_cores_and_ai_calls_have_executor_room_of_their_own(tmp_path: Path) -> None:
    from ai_visibility_airflow.local_airflow import step_slots

    options = _options(airflow_env(tmp_path, ROOT, 8080, ai_slots=12))
    steps = int(options[("core", "default_pool_task_slot_count")])
    assert steps == step_slots() <= 2 * (os.cpu_count() or 1)  # not Airflow's 128 steps on any machine
    assert int(options[("core", "parallelism")]) == steps + 12
    assert step_slots(2) == 4


# Run in a process as a task would: every step's imports, an AI client and the app database's engine.
# Prints what that imported which the process had not (JSON list) and whether the ORM mappers were
# all configured already (JSON bool).
STEP_IMPORTS_PROBE = """
import json, sys

def run_the_steps(*_):
    before = set(sys.modules)
    from ai_visibility.steps.registry import STEP_NAMES, step_function
    for step in STEP_NAMES:
        step_function(step)
    from ai_visibility.ai.endpoint import Endpoint
    Endpoint.from_connection("sim", "http://127.0.0.1:1/v1", "key", {}).client(5)
    from ai_visibility.db import Database
    Database("postgresql+psycopg://u@127.0.0.1:1/db")
    print(json.dumps(sorted(set(sys.modules) - before)))
    from ai_visibility.db.models import Base
    print(json.dumps(all(mapper.configured for mapper in Base.registry.mappers)))
"""


def _imported_and_configured(stdout: str) -> tuple[list[str], bool]:
    imported, configured = (json.loads(line) for line in stdout.splitlines()[-2:])
    return imported, configured


def test_the_preload_leaves_a_step_nothing_to_import_or_configure() -> None:
    preloaded = "from ai_visibility_airflow.preloaded_airflow import preload\npreload()\nrun_the_steps()"
    probe = STEP_IMPORTS_PROBE + preloaded
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    imported, configured = _imported_and_configured(done.stdout)
    assert imported == []  # a task process imports none of them again
    assert configured  # nor configures the ORM mappers again on its first query


# The Airflow command each process that forks task processes runs, and where Airflow's CLI finds it.
TASK_FORKING_COMMANDS = {
    "scheduler": "airflow.cli.commands.scheduler_command.scheduler",
    "celery worker": "airflow.providers.celery.cli.celery_command.worker",
}


@pytest.mark.parametrize("command", list(TASK_FORKING_COMMANDS))
def test_the_processes_that_fork_tasks_start_airflow_with_every_step_import_loaded(
    tmp_path: Path, command: str
) -> None:
    """The scheduler (LocalExecutor) and each Celery worker are run as `make airflow` runs them, up to
    Airflow's own command, which runs the steps instead. Every task process is forked from that
    process: the LocalExecutor's workers from the scheduler; Celery's prefork pool from the worker
    (billiard forks on Linux), and from the pool process the task's supervisor forks the task
    (`execute_workload` → `BaseExecutor.run_workload` → `supervise_task` → `os.fork`), so what that
    process has loaded, every task has."""
    env = airflow_env(tmp_path, ROOT, 8080, "postgresql+psycopg2://u@127.0.0.1:1/airflow", executor="celery")
    argv = PROCESSES["scheduler"] if command == "scheduler" else celery_workers(8080, [9001])["worker-1"]
    if argv[0] == "env":  # the worker's own settings, then `python -m ...`
        env.update(arg.partition("=")[::2] for arg in argv[1 : argv.index(sys.executable)])
        argv = argv[argv.index(sys.executable) + 2 :]
    module, *args = argv
    path, _, name = TASK_FORKING_COMMANDS[command].rpartition(".")
    probe = (
        STEP_IMPORTS_PROBE
        + f"""
import importlib, runpy
setattr(importlib.import_module({path!r}), {name!r}, run_the_steps)
sys.argv = [{module!r}, *{args!r}]
runpy.run_module({module!r}, run_name="__main__", alter_sys=True)
"""
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    assert " ".join(args).startswith(command)
    imported, configured = _imported_and_configured(done.stdout)
    assert imported == []
    assert configured


def test_celery_runs_two_workers_with_their_own_log_ports_and_redis_keys_of_their_instance(tmp_path: Path) -> None:
    from airflow.configuration import conf

    metadata = "postgresql+psycopg2://postgres@127.0.0.1/airflow"
    env = airflow_env(tmp_path, ROOT, 8080, metadata, log_port=9001, executor="celery")
    options = _options(env)
    assert options[("core", "executor")] == "CeleryExecutor"
    assert options[("celery", "broker_url")].startswith("redis://")
    known = conf.configuration_description
    # [celery_broker_transport_options] is free-form: Celery's own transport options, passed through.
    unknown = [(s, o) for s, o in options if o not in known.get(s, {}).get("options", {})]
    assert unknown == [("celery_broker_transport_options", "global_keyprefix")]
    other = _options(airflow_env(tmp_path, ROOT, 8081, metadata, log_port=9003, executor="celery"))
    prefix = ("celery_broker_transport_options", "global_keyprefix")
    assert options[prefix] != other[prefix]  # a test stack never takes the tasks of `make airflow`

    workers = celery_workers(8080, [9001, 9002])
    assert list(workers) == ["worker-1", "worker-2"]
    assert [argv[1] for argv in workers.values()] == [
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=9001",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=9002",
    ]
    assert all(argv[-4:-2] == ["celery", "worker"] for argv in workers.values())
    assert len({argv[-1] for argv in workers.values()}) == 2  # two names Celery can tell apart
    # Two hosts the grid can tell apart, each this machine (the api-server reads a running task's log there).
    hosts = []
    for argv in workers.values():
        worker_env = dict(arg.split("=", 1) for arg in argv[1 : argv.index(sys.executable)])
        assert ("core", "hostname_callable") in {(s, o) for s in known for o in known[s].get("options", {})}
        module, _, name = worker_env["AIRFLOW__CORE__HOSTNAME_CALLABLE"].rpartition(".")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(WORKER_HOSTNAME_ENV, worker_env[WORKER_HOSTNAME_ENV])
            hosts.append(getattr(importlib.import_module(module), name)())
    assert hosts == ["127.0.0.2", "127.0.0.3"]
    assert {socket.gethostbyname(host) for host in hosts} == set(hosts)  # resolvable: the loopback


def test_celery_is_refused_on_sqlite_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"EXECUTOR=celery needs the metadata database on PostgreSQL.*DATABASE_URL"):
        airflow_env(tmp_path, ROOT, 8080, None, executor="celery")
    with pytest.raises(ValueError, match=r"EXECUTOR='kubernetes': use one of \['celery', 'local'\]"):
        airflow_env(tmp_path, ROOT, 8080, None, executor="kubernetes")


def test_under_celery_the_scheduler_runs_without_the_preload_and_the_workers_with_it() -> None:
    assert processes(celery=False)["scheduler"] == PROCESSES["scheduler"] != ["airflow", "scheduler"]
    assert processes(celery=True)["scheduler"] == ["airflow", "scheduler"]
    worker = celery_workers(8080, [9001])["worker-1"]
    assert "ai_visibility_airflow.preloaded_airflow" in worker


def _makefile_env() -> dict[str, str]:
    """The environment the Makefile's recipes run in (`make demo`'s `airflow dags test` among them)."""
    printer = "print-recipe-env:\n\t@env\n"
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "-f", "Makefile", "-f", "-", "print-recipe-env"],
        cwd=ROOT,
        input=printer,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def test_every_way_of_running_airflow_here_creates_the_dags_unpaused(tmp_path: Path) -> None:
    # `make demo` runs `airflow dags test`, which creates the DAG rows; `make airflow` then finds them
    # as created, and a triggered run of a paused DAG waits queued for ever.
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    created_by = {
        "Makefile": _makefile_env(),
        "make airflow": airflow_env(tmp_path, ROOT, 8080),
        "docker compose": compose["x-airflow-common"]["environment"],
    }
    paused = {
        way: env.get("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "True (Airflow's default)")
        for way, env in created_by.items()
    }
    assert {way: value for way, value in paused.items() if value.lower() != "false"} == {}


def test_make_airflow_names_the_projects_dags_left_paused(tmp_path: Path) -> None:
    from airflow.models import Base, import_all_models
    from airflow.models.dag import DagModel
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from ai_visibility_airflow.local_airflow import paused_dags

    url = f"sqlite:///{tmp_path}/airflow.db"
    engine = create_engine(url)
    import_all_models()  # type: ignore[no-untyped-call]
    Base.metadata.create_all(engine)  # Airflow's metadata tables, as `airflow db migrate` leaves them
    dags = ROOT / "dags"
    with Session(engine) as session:
        for dag_id, fileloc, is_paused, is_stale in [
            ("process_org", dags / "process_org.py", True, False),  # created paused by an earlier `dags test`
            ("schedule_orgs", dags / "schedule_orgs.py", False, False),
            ("reprocess_org", dags / "reprocess_org.py", True, True),  # its file gone: not the project's now
            ("someone_elses", tmp_path / "other" / "dag.py", True, False),
        ]:
            row = DagModel(dag_id=dag_id, bundle_name="dags-folder", fileloc=str(fileloc))  # type: ignore[no-untyped-call]
            row.is_stale = is_stale
            row.is_paused = is_paused
            session.add(row)
        session.commit()
    engine.dispose()
    assert paused_dags(url, dags) == ["process_org"]
