"""The README's layout table names every tracked file, in the tree's order, and nothing that is gone."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _layout_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)


def _covers(row: str, path: str) -> bool:
    return path.startswith(row) if row.endswith("/") else path == row


def test_the_layout_table_matches_git_ls_files() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    rows = _layout_rows()
    assert [r for r in rows if not any(_covers(r, p) for p in tracked)] == []  # every row is there
    assert [p for p in tracked if not any(_covers(r, p) for r in rows)] == []  # every file has a row
    assert rows == sorted(rows, key=lambda r: min(i for i, p in enumerate(tracked) if _covers(r, p)))


def test_no_tracked_file_points_at_a_document_outside_the_repository() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = re.compile(r"DOMAIN\.md|STYLE\.md|AIRFLOW_NOTES\.md|\.\./shared")
    texts = [p for p in tracked if p.endswith((".py", ".md", ".yaml", ".toml", ".json", ".cfg"))]
    assert [p for p in texts if outside.search((ROOT / p).read_text(errors="replace"))] == []


def test_every_setting_the_code_reads_from_the_environment_is_in_the_readme() -> None:
    # Each `AI_VISIBILITY_*` name the code reads, written out in full (an operator greps for it).
    sources = [*(ROOT / "include").rglob("*.py"), *(ROOT / "dags").glob("*.py"), *(ROOT / "plugins").glob("*.py")]
    read = {name for path in sources for name in re.findall(r"[\"'](AI_VISIBILITY_[A-Z0-9_]+)[\"']", path.read_text())}
    readme = (ROOT / "README.md").read_text()
    assert len(read) > 20
    assert sorted(name for name in read if not re.search(rf"\b{name}\b", readme)) == []


ANSWERS_IN_ANOTHER_PROCESS = """
import json, sys
from ai_visibility.simulator.answers import compose
print(json.dumps([compose(sys.argv[1], model) for model in sys.argv[2:]]))
"""


def test_the_quick_starts_second_run_reads_as_the_readme_says() -> None:
    # The simulator answers a prompt the same way every time (a second demo run compares equal), and
    # the edit the quick start suggests, to a question of the demo org, changes the answers.
    from ai_visibility.demo import DEMO_ORG_FILE
    from ai_visibility.org_spec import read_org_file
    from ai_visibility.simulator.answers import compose

    quick_start = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "second run alone changes nothing: every trend figure reads `+0.0 points (within noise)`" in " ".join(
        quick_start.split()
    )
    edit = re.search(r'e\.g\. "(.+?)" to "(.+?)"', " ".join(quick_start.split()))
    assert edit is not None
    before, after = edit.groups()
    (question,) = [q.text for q in read_org_file(DEMO_ORG_FILE).questions if before in q.text]
    models = ("gpt-4o-search-preview", "sonar", "gemini-2.5-flash")
    # Another process (another hash seed, as a second `make demo` is) composes the same answers.
    again = subprocess.run(
        [sys.executable, "-c", ANSWERS_IN_ANOTHER_PROCESS, question, *models],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "random"},
    )
    assert json.loads(again.stdout) == json.loads(json.dumps([compose(question, model) for model in models]))
    assert any(compose(question, model) != compose(question.replace(before, after), model) for model in models)
