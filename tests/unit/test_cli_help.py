"""`ai-visibility ... --help`: what each command and argument does, in words that stay true."""

from __future__ import annotations

import pytest

from ai_visibility.cli import main
from ai_visibility.evaluation import scoring


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_eval_help_and_its_scorer_say_every_set_without_a_count_that_goes_stale(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `eval` scores every folder in SETS (a dozen and growing): a count in the help was wrong by the third.
    described = [_help(capsys), _help(capsys, "eval"), " ".join((scoring.evaluate_sets.__doc__ or "").split())]
    for text in described:
        assert not any(count in text for count in ("two held-out", "the held-out set,", "held-out set, by"))
        assert "every labelled set" in text
