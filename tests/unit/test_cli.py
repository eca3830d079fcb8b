"""The `ai-visibility` command: what operators and step containers run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ai_visibility import keys
from ai_visibility.analytics import generate_analytics
from ai_visibility.cli import main
from ai_visibility.db import Database
from ai_visibility.latest_flags import update_latest_flags
from ai_visibility.push import push_analytics
from ai_visibility.steps.registry import STEP_NAMES
from tests.helpers import queue_cells, step_context


@pytest.fixture
def simulator_conn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_AI_SIMULATOR",
        json.dumps(
            {
                "conn_type": "openai",
                "host": "http://simulator.local/v1",
                "password": "sk-cli",
                "extra": {"simulator": {}},
            }
        ),
    )


def test_seed_run_steps_and_report_from_the_command_line(
    sqlite_url: str, simulator_conn: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--db-url", sqlite_url, "demo-seed"]) == 0
    assert "45 cells" in capsys.readouterr().out
    db = Database(sqlite_url)
    cells = queue_cells(
        db, {"org_id": "brightpath", "questions": ["affordable-crm"], "locations": ["US"]}, "manual__cli"
    )
    for cell in cells[:2]:
        for step in STEP_NAMES:
            assert main(["--db-url", sqlite_url, "step", step, "--cell", cell["cell_key"]]) == 0
    assert main(["--db-url", sqlite_url, "queue", "brightpath"]) == 0
    status = capsys.readouterr().out
    assert "2 completed, 0 failed, 0 running, 1 pending of 3" in status
    assert "pending   Which affordable CRM has the easiest pipeline management? · Perplexity Sonar · US" in status
    queue = keys.queue_id("brightpath", "manual__cli")
    assert f"queue {queue} · run manual__cli · running" in status
    update_latest_flags(db, queue)
    generate_analytics(db, queue)
    push_analytics(db, queue, [str(tmp_path)])
    assert main(["--db-url", sqlite_url, "summary", "brightpath"]) == 0
    summary = capsys.readouterr().out
    assert "Cells: 2/3 ok, 1 failed" in summary and "SYNTHETIC" in summary
    assert summary.endswith(f"\nReport: {tmp_path / 'brightpath' / queue / 'report.html'}\n")


def test_a_missing_connection_is_an_error_naming_the_variable(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db-url", sqlite_url, "demo-seed"]) == 0
    db = Database(sqlite_url)
    cells = queue_cells(db, {"org_id": "brightpath"}, "manual__cli")
    assert main(["--db-url", sqlite_url, "step", "call_ai", "--cell", cells[0]["cell_key"]]) == 2
    assert "set AIRFLOW_CONN_AI_SIMULATOR to its JSON form" in capsys.readouterr().err


def test_the_step_command_and_the_worker_task_run_the_same_function_with_the_same_result(
    sqlite_url: str, simulator_conn: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from ai_visibility.steps import registry
    from ai_visibility_airflow import step_tasks

    assert step_tasks.run_step is registry.run_step  # type: ignore[attr-defined]  # the worker task's
    assert main(["--db-url", sqlite_url, "demo-seed"]) == 0
    db = Database(sqlite_url)
    cell = queue_cells(
        db,
        {"org_id": "brightpath", "models": ["sonar"], "locations": ["US"], "questions": ["hubspot-alternatives"]},
        "r",
    )[0]["cell_key"]
    capsys.readouterr()
    for step in STEP_NAMES:
        in_worker = registry.run_step(step, db, cell, step_context())
        assert main(["--db-url", sqlite_url, "step", step, "--cell", cell]) == 0
        in_container = json.loads(capsys.readouterr().out)
        if step == "call_ai":
            in_worker.pop("latency_ms"), in_container.pop("latency_ms")
        assert in_container == in_worker


def test_a_report_command_on_a_database_that_is_missing_or_not_migrated_names_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.db"
    for command in (["summary", "brightpath"], ["history", "brightpath"], ["queue", "brightpath"], ["demo-seed"]):
        assert main(["--db-url", f"sqlite:///{missing}", *command]) == 2
        assert f"the app database {missing} does not exist" in capsys.readouterr().err
    assert not missing.exists()  # not created empty by the attempt
    missing.touch()
    assert main(["--db-url", f"sqlite:///{missing}", "history", "brightpath"]) == 2
    assert "is at schema revision none" in (err := capsys.readouterr().err) and "ai-visibility db-upgrade" in err
    assert "Traceback" not in err
    # Nothing listens on port 1: refused at once.
    assert main(["--db-url", "postgresql+psycopg://reader:s3cret@127.0.0.1:1/app", "summary", "brightpath"]) == 2
    assert "cannot reach the app database at postgresql+psycopg://reader:***@127.0.0.1:1/app" in (
        err := capsys.readouterr().err
    )
    assert "s3cret" not in err


def test_org_apply_reports_every_error_of_a_broken_file_before_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ai_visibility.demo import DEMO_ORG_FILE

    broken = tmp_path / "org.yaml"
    text = DEMO_ORG_FILE.read_text().replace("country: GB", "country: UK", 1)
    broken.write_text(text.replace("id: brightpath", "id: brightpath\nsample: 3", 1))
    missing = tmp_path / "typo.db"
    assert main(["--db-url", f"sqlite:///{missing}", "org-apply", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "sample: Extra inputs are not permitted; did you mean 'samples'?" in err
    assert "locations.1.country: use the ISO-3166 code GB" in err
    assert "does not exist" not in err
    # With no database setting at all, the file is still read first.
    monkeypatch.delenv("AI_VISIBILITY_DATABASE_URL", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_AI_VISIBILITY_DB", raising=False)
    assert main(["org-apply", str(broken)]) == 2
    assert "locations.1.country" in (err := capsys.readouterr().err) and "AI_VISIBILITY_DATABASE_URL" not in err
    # The file fixed, the database is what is left to fix.
    assert main(["--db-url", f"sqlite:///{missing}", "org-apply", str(DEMO_ORG_FILE)]) == 2
    assert f"the app database {missing} does not exist" in capsys.readouterr().err


def test_without_a_database_setting_the_error_says_where_the_demo_database_is(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AI_VISIBILITY_DATABASE_URL", raising=False)
    monkeypatch.delenv("AIRFLOW_CONN_AI_VISIBILITY_DB", raising=False)
    assert main(["history", "brightpath"]) == 2
    err = capsys.readouterr().err
    assert "set AI_VISIBILITY_DATABASE_URL or AIRFLOW_CONN_AI_VISIBILITY_DB" in err
    assert "sqlite:///.data/ai_visibility.db" in err


def test_output_piped_into_a_reader_that_stops_early_ends_without_a_traceback() -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "ai_visibility.cli", "extract", "-", "--org-name", "Brightpath CRM"]
    answer = "**Brightpath CRM** is a simple CRM for small sales teams.\n" * 200
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stdin is not None
        process.stdout.close()  # as `| head` does once it has its lines, before the command writes
        _, err = process.communicate(answer.encode(), timeout=60)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
    assert process.returncode == 1


@pytest.mark.parametrize("command", ["summary", "queue", "history"])
def test_an_org_that_does_not_exist_is_named_as_such_with_the_stored_ones(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert main(["--db-url", sqlite_url, command, "nope"]) == 2
    assert capsys.readouterr().err == (
        "error: org 'nope' does not exist (no org is stored yet): check the id, or store the org with "
        "`ai-visibility org-apply FILE`\n"
    )
    assert main(["--db-url", sqlite_url, "demo-seed"]) == 0
    capsys.readouterr()
    assert main(["--db-url", sqlite_url, command, "nope"]) == 2
    assert "org 'nope' does not exist (the stored orgs are brightpath)" in capsys.readouterr().err
    assert main(["--db-url", sqlite_url, command, "brightpath"]) == 2  # stored, never run: that is said instead
    assert "run process_org for it" in capsys.readouterr().err
