"""Per-provider pools: every provider an org can name has one, and Airflow loads the policy that uses them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from ai_visibility.org_spec import Provider
from ai_visibility_airflow import provider_pools
from ai_visibility_airflow.local_settings import read_settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_provider_an_org_can_name_has_a_pool_that_also_counts_deferred_calls() -> None:
    pools = {p["pool_name"]: p for p in read_settings(ROOT / "airflow_settings.yaml")["pools"]}
    assert set(pools) == {provider_pools.pool_for(p) for p in get_args(Provider)}
    for pool in pools.values():
        assert int(pool["pool_slot"]) >= 1
        assert "requests/min" in pool["pool_description"] or "at a time" in pool["pool_description"]
        assert pool["pool_include_deferred"] is True


def test_the_policy_names_the_dags_ai_call_and_the_task_that_publishes_the_pools() -> None:
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(ROOT / "dags" / "process_org.py")).dags[provider_pools.DAG_ID]
    call: Any = dag.get_task(provider_pools.AI_CALL_TASK_ID)
    assert call.max_active_tis_per_dag == 3  # the one step that calls the engine
    assert call.pool == "default_pool"  # where a cell waits when its provider has no pool
    assert provider_pools.AI_CALL_TASK_ID in dag.get_task(provider_pools.QUEUE_TASK_ID).downstream_task_ids


@pytest.mark.parametrize("first", ["airflow", "ai_visibility_airflow.provider_pools"])
def test_airflow_loads_the_policy_from_the_installed_package_whatever_is_imported_first(first: str) -> None:
    probe = f"""
import {first}
from airflow.settings import get_policy_plugin_manager
hooks = get_policy_plugin_manager().hook.task_instance_mutation_hook.get_hookimpls()
print(sorted(h.plugin_name for h in hooks))
"""
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert "'ai_visibility'" in out


def test_the_docker_init_job_applies_the_pools() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yaml").read_text())
    assert (
        "ai_visibility_airflow.local_settings /opt/ai-visibility/airflow_settings.yaml"
        in (compose["services"]["airflow-init"]["command"])
    )
    assert "COPY airflow_settings.yaml ./" in (ROOT / "Dockerfile").read_text()
