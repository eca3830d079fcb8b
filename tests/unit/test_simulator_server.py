"""`ai-visibility-simulator`: the command users start to try failure modes by hand."""

from __future__ import annotations

import pytest

from ai_visibility.simulator import server
from ai_visibility.simulator.server import main


def never_started(*args: object, **kwargs: object) -> None:
    raise AssertionError("the server was started")


def test_an_unknown_failure_mode_is_refused_listing_the_modes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before, `--fail http_999` started a server that answered every request normally.
    monkeypatch.setattr(server, "make_server", never_started)
    with pytest.raises(SystemExit) as refused:
        main(["--fail", "http_999", "--port", "0"])
    assert refused.value.code == 2
    err = capsys.readouterr().err
    assert "--fail: invalid choice: 'http_999'" in err and "'http_429'" in err and "'drop'" in err
