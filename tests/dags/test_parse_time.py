"""Parse time is silent and cheap for every DAG file and the results plugin: no network, no database,
no Airflow models, no charting library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAG_FILES = sorted(p.stem for p in (ROOT / "dags").glob("*.py"))


@pytest.mark.parametrize("dag_file", DAG_FILES)
def test_parsing_opens_no_connection_and_touches_no_database(dag_file: str, tmp_path: Path) -> None:
    probe = f"""
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("network or database I/O at parse time")
socket.socket.connect = refuse
socket.create_connection = refuse
sys.path.insert(0, {str(ROOT / "dags")!r})
import {dag_file}
heavy = sorted(m for m in ("altair", "vl_convert", "pandas") if m in sys.modules)
assert not heavy, f"imported at parse time: {{heavy}}"
"""
    env = {**os.environ, "AIRFLOW_CONN_AI_VISIBILITY_DB": f'{{"conn_type": "sqlite", "host": "{tmp_path}/app.db"}}'}
    subprocess.run([sys.executable, "-c", probe], check=True, env=env, capture_output=True)
    assert not (tmp_path / "app.db").exists()


def test_loading_the_results_plugin_imports_no_charting_library() -> None:
    # The api-server loads plugins at start; the report's libraries load when a page is drawn.
    probe = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("results", {str(ROOT / "plugins" / "ai_visibility_results.py")!r})
spec.loader.exec_module(importlib.util.module_from_spec(spec))
heavy = sorted(m for m in ("altair", "vl_convert") if m in sys.modules)
assert not heavy, f"imported with the plugin: {{heavy}}"
"""
    subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True)


def _imported_by(statement: str, loaded: str = "import airflow.sdk.execution_time.task_runner") -> set[str]:
    """The modules `statement` adds to a process that has `loaded` (by default, a task process: the
    Task SDK's runner is loaded before it parses the DAG file)."""
    probe = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "dags")!r})
{loaded}
before = set(sys.modules)
{statement}
print(json.dumps(sorted(set(sys.modules) - before)))
"""
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


# What a DAG file of ours may import besides Airflow: settings and the thin adapters that wire tasks.
PARSE_BUDGET = {
    "ai_visibility",
    "ai_visibility.ai",
    "ai_visibility.ai.capabilities",
    "ai_visibility.ai.endpoint",
    "ai_visibility.env_connections",
    "ai_visibility.errors",
    "ai_visibility.org_spec",  # the samples and cells_per_task Params' maximums
    "ai_visibility.settings",
    "ai_visibility.steps",
    "ai_visibility.steps.context",
    "ai_visibility.steps.registry",
    "ai_visibility_airflow",
    "ai_visibility_airflow.alerts",
    "ai_visibility_airflow.connections",
    "ai_visibility_airflow.dag_defaults",
    "ai_visibility_airflow.queue_tasks",
    "ai_visibility_airflow.step_tasks",
}
HEAVY = {"openai", "httpx2", "alembic", "tldextract", "vaderSentiment", "english_words", "boto3"}


def _ours(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in ("ai_visibility", "ai_visibility_airflow")}


def _tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("dag_file", DAG_FILES)
def test_every_task_process_parses_the_dag_file_without_the_database_layer_or_the_ai_sdk(dag_file: str) -> None:
    imported = _imported_by(f"import {dag_file}")
    assert _ours(imported) <= PARSE_BUDGET
    assert _tops(imported) & HEAVY == set()


@pytest.mark.parametrize(
    ("step", "needs"),
    [
        ("call_ai", {"openai", "httpx2"}),
        ("record_question_run", set()),
        ("extract_mentions", {"vaderSentiment", "tldextract", "english_words"}),
        ("extract_claims", {"vaderSentiment", "tldextract", "english_words"}),
        ("extract_citations", {"tldextract", "english_words"}),
        ("calculate_metrics", set()),
    ],
)
def test_a_step_imports_what_it_uses_and_the_ai_sdk_only_when_it_calls_the_ai(step: str, needs: set[str]) -> None:
    imported = _imported_by(f"step_function({step!r})", "from ai_visibility.steps.registry import step_function")
    assert _tops(imported) & HEAVY == needs
    assert not any(m.startswith("ai_visibility.db.migrat") for m in imported)  # no Alembic per step
