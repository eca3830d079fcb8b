"""docker-compose.yaml keeps the invariants every Airflow 3 deployment needs."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from ai_visibility_airflow.local_airflow import PRELOADED_AIRFLOW

ROOT = Path(__file__).resolve().parents[2]


def airflow_services() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    return {name: svc for name, svc in compose["services"].items() if name.startswith("airflow-")}


def test_every_airflow_process_shares_one_jwt_secret_and_the_execution_api() -> None:
    services = airflow_services()
    assert {"airflow-api-server", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"} <= set(services)
    secrets = {svc["environment"]["AIRFLOW__API_AUTH__JWT_SECRET"] for svc in services.values()}
    urls = {svc["environment"]["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] for svc in services.values()}
    assert len(secrets) == 1
    assert urls == {"http://airflow-api-server:8080/execution/"}
    assert "--port 8080" in services["airflow-api-server"]["command"]  # never the worker log port 8793


@pytest.mark.parametrize(
    ("executor", "runs"),
    [
        # The LocalExecutor's tasks are forked from the scheduler: with the steps' imports loaded, as in `make airflow`.
        ("LocalExecutor", f"python -m {PRELOADED_AIRFLOW} scheduler"),
        # The CeleryExecutor's run in the workers (preloaded there): the scheduler would hold them for nothing.
        ("CeleryExecutor", "airflow scheduler"),
    ],
)
def test_the_scheduler_preloads_the_steps_only_when_it_forks_tasks(tmp_path: Path, executor: str, runs: str) -> None:
    # The service's command as the container runs it: compose turns `$$` into `$` and splits the string
    # like a shell; `airflow` and `python` are stubs that print what they were asked to run.
    command = airflow_services()["airflow-scheduler"]["command"].replace("$$", "$")
    for name in ("airflow", "python"):
        stub = tmp_path / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*"\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "AIRFLOW__CORE__EXECUTOR": executor}
    done = subprocess.run(shlex.split(command), env=env, capture_output=True, text=True, check=True, timeout=30)
    assert done.stdout.strip() == runs


def test_compose_refuses_to_start_without_a_jwt_secret_of_the_operators_own() -> None:
    (secret,) = {svc["environment"]["AIRFLOW__API_AUTH__JWT_SECRET"] for svc in airflow_services().values()}
    # `${VAR:?message}` stops `docker compose up` with the message when VAR is unset or empty; a
    # `${VAR:-default}` would start every deployment with the same, published secret.
    assert re.fullmatch(r"\$\{AIRFLOW_JWT_SECRET:\?set AIRFLOW_JWT_SECRET [^}]+\}", secret), secret


def test_the_app_database_connection_uses_postgres_and_the_image_is_built_from_the_project() -> None:
    for svc in airflow_services().values():
        assert svc["build"] == "."
        assert '"conn_type": "postgres"' in svc["environment"]["AIRFLOW_CONN_AI_VISIBILITY_DB"]


def test_the_celery_profile_adds_redis_and_two_workers_of_the_same_image_and_settings() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    services = compose["services"]
    celery = {name for name, svc in services.items() if "celery" in svc.get("profiles", [])}
    assert celery == {"redis", "airflow-worker-1", "airflow-worker-2"}
    # Without the profile the topology is the LocalExecutor's, unchanged.
    assert all("profiles" not in svc for name, svc in services.items() if name not in celery)
    common = services["airflow-scheduler"]["environment"]
    assert common["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert common["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0"
    assert "RESULT_BACKEND" not in str(common)  # results go to the metadata database, the provider's default
    for name in ("airflow-worker-1", "airflow-worker-2"):
        worker = services[name]
        assert worker["environment"] == common  # one JWT secret, one execution API, one broker
        # With the steps' imports loaded before the pool forks, as `make airflow`'s workers.
        assert worker["command"].rstrip().endswith(f'exec python -m {PRELOADED_AIRFLOW} celery worker"')
        assert "AIRFLOW_EXECUTOR=CeleryExecutor" in worker["command"]  # refuses to idle beside a LocalExecutor
        assert worker["depends_on"]["redis"] == {"condition": "service_healthy"}
        assert worker["depends_on"]["airflow-init"] == {"condition": "service_completed_successfully"}
    assert "redis-cli" in str(services["redis"]["healthcheck"]["test"])
