"""`ai-visibility ... --help`: what each command and argument does, in words that stay true."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ai_visibility.cli import build_parser, main
from ai_visibility.evaluation import scoring
from ai_visibility.steps.registry import STEP_NAMES


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


def test_every_argument_of_every_command_has_help_and_step_lists_its_steps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    undescribed = [
        f"{name} {action.dest}"
        for name, parser in commands.choices.items()
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert undescribed == []
    step = _help(capsys, "step")
    assert ", ".join(STEP_NAMES) in step


def test_the_readme_extract_synopsis_names_every_option() -> None:
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    synopsis = readme[readme.index("`ai-visibility extract --org-name") :].split("`")[1]
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    options = [a.option_strings[-1] for a in commands.choices["extract"]._actions if a.option_strings]
    assert [o for o in options if o not in synopsis and o != "--help"] == []
