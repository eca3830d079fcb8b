"""Parse time is silent and cheap for every DAG file: no network, no database, no Airflow models."""

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
"""
    env = {**os.environ, "AIRFLOW_CONN_AI_VISIBILITY_DB": f'{{"conn_type": "sqlite", "host": "{tmp_path}/app.db"}}'}
    subprocess.run([sys.executable, "-c", probe], check=True, env=env, capture_output=True)
    assert not (tmp_path / "app.db").exists()
