"""Parse time is silent and cheap for every DAG file and the results plugin: no network, no database,
no Airflow models, no charting library."""

from __future__ import annotations

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
