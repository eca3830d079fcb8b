"""Extraction accuracy on the labelled evaluation set never drops below its measured floor."""

from __future__ import annotations

import pytest

from ai_visibility.cli import main
from ai_visibility.evaluation.scoring import Vertical, accuracy, evaluate, expected_share_of_voice, load_verticals

# Measured on the set (see README); a drop below these fails the suite.
FLOORS = {"mention": 0.98, "sentiment": 0.95, "share_of_voice": 0.98, "rank": 0.98, "citations": 0.98, "all": 0.95}


@pytest.fixture(scope="module")
def verticals() -> list[Vertical]:
    return load_verticals()


def test_the_set_covers_six_verticals_with_at_least_60_answers_and_its_traps(verticals: list[Vertical]) -> None:
    cases = [c for v in verticals for c in v.cases]
    assert len(cases) >= 60
    assert {v.vertical for v in verticals} == {"finance", "software", "home_services", "retail", "education", "health"}
    styles = {c.style for c in cases}
    for trap in ("absence", "url_only_trap", "similar_name_trap", "common_word_trap", "image_and_sources"):
        assert trap in styles
    for case in cases:  # every labelled unit is verbatim in its answer
        expected_share_of_voice(case)


def test_rules_mode_stays_above_its_floor(verticals: list[Vertical]) -> None:
    scores = accuracy(evaluate(verticals))
    below = {metric: round(scores[metric], 3) for metric, floor in FLOORS.items() if scores[metric] < floor}
    assert below == {}


def test_eval_command_prints_per_metric_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    assert "62 labelled answers from 6 verticals" in out
    for metric in ("mention", "sentiment", "share_of_voice", "rank", "citations", "all"):
        assert metric in out
