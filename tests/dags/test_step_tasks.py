"""The step task adapter fails at once on what a retry cannot heal, and leaves the rest to Airflow's retries;
it tells a try a user cleared (which may make its provider's trial call at once) from an automatic retry."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.errors import ProviderCallFailed, ProviderUnavailable
from ai_visibility_airflow import step_tasks
from ai_visibility_airflow.step_tasks import fail_fast

UNAVAILABLE = (
    "provider perplexity unavailable: last error model 'sonar' via connection 'ai_simulator' failed with HTTP 500 "
    "after 4 attempts within 55s: Internal Server Error (3 failed calls in a row; its remaining calls in this run "
    "fail fast: clear the failed cells once the provider is back)"
)


def test_a_cell_whose_provider_breaker_is_open_fails_without_burning_retries() -> None:
    def call() -> None:
        raise ProviderUnavailable(UNAVAILABLE)

    with pytest.raises(AirflowFailException) as failed:
        fail_fast(call)
    assert str(failed.value) == UNAVAILABLE


def test_a_call_that_exhausted_its_own_retries_is_left_to_airflows_retries() -> None:
    def call() -> None:
        raise ProviderCallFailed("model 'sonar' via connection 'ai_simulator' failed with HTTP 500", kind="HTTP 500")

    with pytest.raises(ProviderCallFailed):
        fail_fast(call)


START = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("try_number", "max_tries", "cleared"),
    [
        (1, 2, False),  # the first try
        (2, 2, False),  # Airflow's automatic retry
        (3, 2, False),  # its last one
        (4, 3 + 2, True),  # cleared after try 3 failed: Airflow sets max_tries to 3 + retries
        (5, 3 + 2, False),  # the cleared task's own automatic retry
    ],
)
def test_a_try_a_user_cleared_is_told_from_an_automatic_retry(
    monkeypatch: pytest.MonkeyPatch, try_number: int, max_tries: int, cleared: bool
) -> None:
    ti = SimpleNamespace(try_number=try_number, max_tries=max_tries, task=SimpleNamespace(retries=2), start_date=START)
    monkeypatch.setattr(step_tasks, "get_current_context", lambda: {"ti": ti})
    assert step_tasks.cleared_at() == (START if cleared else None)
