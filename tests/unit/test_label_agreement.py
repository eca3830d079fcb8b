"""Held-out E's to J's labels and a second annotator's, given blind from the definitions, still agree:
a label corrected in one place and not the other shows up here, not as a silent change in accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ai_visibility.evaluation.scoring import (
    HELDOUT_E,
    HELDOUT_F,
    HELDOUT_G,
    HELDOUT_H,
    HELDOUT_I,
    HELDOUT_J,
    load_verticals,
)


@pytest.mark.parametrize(
    "folder",
    [HELDOUT_E, HELDOUT_F, HELDOUT_G, HELDOUT_H, HELDOUT_I, HELDOUT_J],
    ids=["held-out E", "held-out F", "held-out G", "held-out H", "held-out I", "held-out J"],
)
def test_a_second_annotator_reading_only_the_definitions_gave_the_same_mention_and_sentiment(folder: Path) -> None:
    second = yaml.safe_load((folder / "agreement" / "second_annotator.yaml").read_text())
    cases = [case for vertical in load_verticals(folder) for case in vertical.cases]
    assert len(cases) == len(second) == 48
    differ = {
        case.id: (case.expect.sentiment, second[case.id]["sentiment"])
        for case in cases
        if (case.expect.mentioned, case.expect.sentiment if case.expect.mentioned else None)
        != (second[case.id]["mentioned"], second[case.id]["sentiment"])
    }
    assert differ == {}
