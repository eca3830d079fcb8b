"""Extraction accuracy on the labelled answers never drops below its measured floors: on the tuned set
and on the held-out set (regression guards; the held-out set is never tuned on)."""

from __future__ import annotations

import pytest

from ai_visibility.cli import main
from ai_visibility.evaluation.scoring import (
    HELDOUT,
    Vertical,
    accuracy,
    evaluate,
    expected_share_of_voice,
    load_verticals,
)

# Measured on each set (see README); a drop below these fails the suite.
FLOORS = {"mention": 0.98, "sentiment": 0.95, "share_of_voice": 0.98, "rank": 0.98, "citations": 0.98, "all": 0.95}
# Measured on the held-out set after the passage rework (2026-11-30): mention 93.8%, share of voice
# 91.7%, sentiment 83.3%, rank 87.5%, citations 100%, all four 77.1%. Guards, not targets.
HELDOUT_FLOORS = {
    "mention": 0.93,
    "share_of_voice": 0.91,
    "sentiment": 0.83,
    "rank": 0.87,
    "citations": 1.0,
    "all_four": 0.77,
}


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


def test_the_held_out_set_covers_four_new_verticals_with_at_least_40_answers(verticals: list[Vertical]) -> None:
    heldout = load_verticals(HELDOUT)
    cases = [c for v in heldout for c in v.cases]
    assert len(cases) >= 40
    assert len({v.vertical for v in heldout}) >= 4
    assert not {v.vertical for v in heldout} & {v.vertical for v in verticals}
    for case in cases:
        expected_share_of_voice(case)


def test_rules_mode_stays_above_its_floor_on_the_held_out_set() -> None:
    scores = accuracy(evaluate(load_verticals(HELDOUT)))
    below = {metric: round(scores[metric], 3) for metric, floor in HELDOUT_FLOORS.items() if scores[metric] < floor}
    assert below == {}


def test_eval_command_prints_per_metric_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval"]) == 0
    out = capsys.readouterr().out
    assert "tuned: 74 labelled answers from 6 verticals" in out
    assert "held-out: 48 labelled answers from 4 verticals" in out
    for metric in ("mention", "sentiment", "share_of_voice", "rank", "citations", "all_four", "all"):
        assert metric in out
