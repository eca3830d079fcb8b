"""The step task adapter fails at once on what a retry cannot heal, and leaves the rest to Airflow's retries."""

from __future__ import annotations

import pytest
from airflow.sdk.exceptions import AirflowFailException

from ai_visibility.errors import ProviderCallFailed, ProviderUnavailable
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
