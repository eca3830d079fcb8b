"""Each held-out set's labels (E onwards) and a second annotator's, given blind from the definitions, still agree:
a label corrected in one place and not the other shows up here, not as a silent change in accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ai_visibility.evaluation.scoring import SETS, load_verticals

# every set a second annotator labelled again, blind, keeps its labels in agreement/
AGREEMENT = {name: folder for name, folder in SETS.items() if (folder / "agreement").is_dir()}


@pytest.mark.parametrize("folder", AGREEMENT.values(), ids=AGREEMENT.keys())
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
