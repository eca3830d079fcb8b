"""Settings come from `AI_VISIBILITY_*` variables, and a bad one is named with its fix."""

from __future__ import annotations

import pytest

from ai_visibility.settings import BreakerSettings, Settings


def test_the_breaker_opens_after_3_failures_and_tries_again_after_60_s_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings.from_env().breaker == BreakerSettings(failures=3, cooldown_s=60)
    monkeypatch.setenv("AI_VISIBILITY_BREAKER_FAILURES", "5")
    monkeypatch.setenv("AI_VISIBILITY_BREAKER_COOLDOWN_S", "300")
    assert Settings.from_env().breaker == BreakerSettings(failures=5, cooldown_s=300)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AI_VISIBILITY_BREAKER_FAILURES", "0", "AI_VISIBILITY_BREAKER_FAILURES=0: use 1 or more"),
        ("AI_VISIBILITY_BREAKER_FAILURES", "three", "AI_VISIBILITY_BREAKER_FAILURES='three' must be a whole number"),
        ("AI_VISIBILITY_BREAKER_COOLDOWN_S", "-1", "AI_VISIBILITY_BREAKER_COOLDOWN_S=-1: use 0 or more seconds"),
    ],
)
def test_a_bad_breaker_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        Settings.from_env()
