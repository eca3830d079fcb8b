"""`ai-visibility eval`'s rows with a miss: the label against what extraction gave, and where the case is."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_visibility.evaluation.scoring import CASES, evaluate, load_verticals, report

# sw-01, the first case of the tuned software set, as labelled: a positive mention ranked 2nd.
LABELLED = "      sentiment: positive\n      rank: 2\n"


@pytest.fixture
def mislabelled(tmp_path: Path) -> Path:
    """The tuned software set with sw-01's sentiment, rank and one citation labelled otherwise."""
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (CASES / "software.yaml").read_text()
    assert text.count(LABELLED) >= 1 and text.index(LABELLED) < text.index("id: sw-02")
    text = text.replace(LABELLED, "      sentiment: negative\n      rank: 1\n", 1)
    text = text.replace("        - https://taskwell.io/agencies\n", "        - https://taskwell.io/partners\n", 1)
    (folder / "software.yaml").write_text(text)
    return folder


def test_a_missed_row_shows_expected_and_got_for_each_missed_metric_and_the_file(mislabelled: Path) -> None:
    outcomes = evaluate(load_verticals(mislabelled))
    text = report({"tuned": outcomes})
    row = next(line for line in text.splitlines() if line.startswith("  sw-01 "))
    assert str(mislabelled / "software.yaml") in row
    assert "sentiment: expected negative, got positive" in row
    assert "rank: expected 1, got 2" in row
    assert (
        "citations: expected 2, got 2 (missing ['https://taskwell.io/partners'], "
        "not labelled ['https://taskwell.io/agencies'])"
    ) in row
    assert "mention:" not in row and "share_of_voice:" not in row  # only what was missed
