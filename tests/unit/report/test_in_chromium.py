"""The report page in a real browser (Debian's `chromium`, headless): every chart draws its data
marks with a size, where a reader can see them. Without chromium this skips locally and fails in CI
(`.ci/run` installs it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ai_visibility.report import render_report
from tests.unit.report.conftest import as_older, with_history_and_segments, write

# Appended to a copy of the page (the report itself runs no script): after layout, count per chart
# the data marks with a non-empty box whose centre, on screen, is that chart.
PROBE = """<script>
const drawn = {};
for (const section of document.querySelectorAll("section")) {
  const svg = section.querySelector("svg");
  if (!svg) continue;
  const marks = [...svg.querySelectorAll("g.role-mark > [role=graphics-symbol]")];
  drawn[section.id] = marks.filter((mark) => {
    const box = mark.getBoundingClientRect();
    if (box.width <= 0 && box.height <= 0) return false;
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit !== null && svg.contains(hit);
  }).length;
}
const probe = document.createElement("pre");
probe.id = "probe";
probe.textContent = JSON.stringify(drawn);
document.body.append(probe);
</script>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI and is not installed: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def drawn_marks(page: str, folder: Path) -> dict[str, int]:
    path = write(page.replace("</body>", PROBE + "</body>"), folder)
    dom = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            f"--user-data-dir={folder / 'profile'}",
            "--window-size=1280,4000",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom)
    assert found, f"the page did not load in chromium: {dom[:500]}"
    drawn: dict[str, int] = json.loads(found.group(1).replace("&quot;", '"'))
    return drawn


def test_every_chart_draws_its_data_marks_in_chromium(
    two_queues: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    first, second = two_queues
    drawn = drawn_marks(render_report(with_history_and_segments(second, first)), tmp_path)
    assert sorted(drawn) == ["heatmap", "over-time", "share-of-voice", "sources"]
    # Over time: three queues, each an interval, a point and a label, and the line through them.
    assert drawn["over-time"] == 3 * 3 + 1
    assert drawn["heatmap"] == 2 * 3 * 2  # a cell and its label per model × location
    assert drawn["share-of-voice"] == 2 * len(second["competitors"])  # a bar and its figure per brand
    assert drawn["sources"] >= 4  # at least one kind for all engines and for each of the three


def test_an_older_document_draws_what_it_has_in_chromium(
    two_queues: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    first, _ = two_queues
    drawn = drawn_marks(render_report(as_older(first)), tmp_path)
    assert sorted(drawn) == ["over-time", "share-of-voice", "sources"]
    assert drawn["over-time"] >= 3 and drawn["share-of-voice"] > 0 and drawn["sources"] > 0


def test_without_chromium_the_browser_test_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium is required in CI"):
        chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        chromium()
