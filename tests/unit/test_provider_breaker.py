"""A dead provider's breaker: its remaining cells in a queue fail fast without a request, the healthy
providers' cells complete, and a trial after the cool-down lets the cells through again once it is back
(each test runs on SQLite and PostgreSQL; the simulator is served over HTTP so requests can be counted)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from ai_visibility.ai.endpoint import Endpoint
from ai_visibility.db import Database
from ai_visibility.db.models import ProviderBreaker, QueueCell
from ai_visibility.errors import ProviderCallFailed, ProviderUnavailable
from ai_visibility.settings import BreakerSettings
from ai_visibility.simulator.server import SimulatorServer, serve_in_thread
from ai_visibility.steps.context import StepContext
from ai_visibility.steps.provider_breaker import provider_call
from tests.helpers import in_simulated_time, queue_cells, run_cell, step_context

QUESTIONS = ["best-crm-startups", "affordable-crm"]  # 2 questions × 3 models × 3 locations
HTTP_500 = "model 'sonar' via connection 'ai_simulator' failed with HTTP 500 after 3 attempts within 1.5s: boom"


class Clock:
    """Wall-clock time the test moves by hand: cool-downs pass without sleeping."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def simulator() -> Iterator[Callable[..., tuple[SimulatorServer, Any]]]:
    """Serve the simulator over HTTP; returns the server (it counts requests) and a resolver for it."""
    servers: list[SimulatorServer] = []

    def start(**config: Any) -> tuple[SimulatorServer, Any]:
        server, url = serve_in_thread(config)
        servers.append(server)
        return server, lambda conn_id: Endpoint.from_connection(conn_id, url, "sk-test", {})

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def run_counting(
    db: Database, server: SimulatorServer, cells: list[dict[str, str]], context: StepContext
) -> dict[str, int]:
    """Run each cell as its mapped instance would; return the HTTP requests each one made."""
    made = {}
    for cell in cells:
        before = server.simulator.requests
        with contextlib.suppress(ConnectionError, ProviderUnavailable):
            run_cell(db, cell["cell_key"], context)
        made[cell["cell_key"]] = server.simulator.requests - before
    return made


def cells_of(db: Database) -> list[QueueCell]:
    with db.transaction() as s:
        return list(s.scalars(select(QueueCell).order_by(QueueCell.position)))


def test_after_three_failed_calls_the_providers_other_cells_fail_fast_without_a_request(
    demo_db: Database, simulator: Any
) -> None:
    server, endpoints = simulator(fail="http_500", fail_models=["sonar"])
    cells = queue_cells(demo_db, {"org_id": "brightpath", "questions": QUESTIONS}, "manual__1")
    made = run_counting(demo_db, server, cells, in_simulated_time(step_context(endpoints, deadline_s=30)))

    sonar = [c for c in cells_of(demo_db) if c.model_key == "sonar"]
    assert len(sonar) == 6 and all(c.status == "failed" and c.failed_step == "call_ai" for c in sonar)
    tried, fast = sonar[:3], sonar[3:]
    assert all("HTTP 500 after" in (c.error or "") and made[c.key] >= 1 for c in tried)
    assert [made[c.key] for c in fast] == [0, 0, 0]
    for cell in fast:
        assert (cell.error or "").startswith(
            "provider perplexity unavailable: last error model 'sonar' via connection 'ai_simulator' failed with "
            "HTTP 500 after"
        )
        assert "clear the failed cells once the provider is back" in (cell.error or "")
        assert "sk-test" not in (cell.error or "")
    healthy = [c for c in cells_of(demo_db) if c.model_key != "sonar"]
    assert len(healthy) == 12 and all(c.status == "completed" and made[c.key] == 1 for c in healthy)


def run_with_sonar_down(demo_db: Database, simulator: Any, clock: Clock) -> list[str]:
    """A queue run while Perplexity answers HTTP 500: its six cells fail, and their keys are returned."""
    _, dead = simulator(fail="http_500", fail_models=["sonar"])
    cells = queue_cells(demo_db, {"org_id": "brightpath", "questions": QUESTIONS}, "manual__1")
    for cell in cells:
        with contextlib.suppress(ConnectionError, ProviderUnavailable):
            run_cell(
                demo_db, cell["cell_key"], replace(in_simulated_time(step_context(dead, deadline_s=30)), now=clock)
            )
    failed = [c.key for c in cells_of(demo_db) if c.status == "failed"]
    assert len(failed) == 6
    return failed


def test_once_the_provider_is_back_cleared_cells_go_through_after_the_cool_down(
    demo_db: Database, simulator: Any
) -> None:
    clock = Clock()
    failed = run_with_sonar_down(demo_db, simulator, clock)

    back_server, back = simulator()
    context = replace(in_simulated_time(step_context(back)), now=clock)
    clock.advance(30)  # cleared too early: still within the cool-down
    made = run_counting(demo_db, back_server, [{"cell_key": failed[0]}], context)
    assert made == {failed[0]: 0}
    assert (cells_of_key(demo_db, failed[0]).error or "").startswith("provider perplexity unavailable")

    clock.advance(30)  # the cool-down has passed: the first cleared cell is the trial, and it closes the breaker
    made = run_counting(demo_db, back_server, [{"cell_key": key} for key in failed], context)
    assert list(made.values()) == [1] * 6
    assert all(c.status == "completed" for c in cells_of(demo_db))


def test_cells_a_user_clears_after_the_breaker_opened_try_at_once_without_waiting_out_the_cool_down(
    demo_db: Database, simulator: Any
) -> None:
    clock = Clock()
    failed = run_with_sonar_down(demo_db, simulator, clock)

    clock.advance(5)  # the user fixes the provider and clears the failed cells, well within the cool-down
    back_server, back = simulator()
    retried = run_counting(demo_db, back_server, [{"cell_key": failed[0]}], replace(step_context(back), now=clock))
    assert retried == {failed[0]: 0}  # an automatic retry still fails fast
    cleared = replace(step_context(back), now=clock, cleared_at=clock())
    made = run_counting(demo_db, back_server, [{"cell_key": key} for key in failed], cleared)
    assert list(made.values()) == [1] * 6  # the first is the trial, at once; it closes the breaker
    assert all(c.status == "completed" for c in cells_of(demo_db))


def test_when_the_trial_of_cleared_cells_fails_the_others_fail_fast(demo_db: Database, simulator: Any) -> None:
    clock = Clock()
    server, dead = simulator(fail="http_500", fail_models=["sonar"])
    cells = queue_cells(demo_db, {"org_id": "brightpath", "questions": QUESTIONS}, "manual__1")
    context = replace(step_context(dead, deadline_s=1.5), now=clock)
    for cell in cells:
        with contextlib.suppress(ConnectionError, ProviderUnavailable):
            run_cell(demo_db, cell["cell_key"], context)
    failed = [c.key for c in cells_of(demo_db) if c.status == "failed"]

    clock.advance(5)  # cleared, but the provider is still down
    cleared = replace(context, cleared_at=clock())
    clock.advance(1)
    trial, *others = run_counting(demo_db, server, [{"cell_key": key} for key in failed], cleared).values()
    assert trial >= 1 and others == [0] * 5  # one trial (its HTTP attempts); the breaker opened again


def cells_of_key(db: Database, key: str) -> QueueCell:
    with db.transaction() as s:
        cell = s.get(QueueCell, key)
        assert cell is not None
        return cell


def queue_id(db: Database, run_id: str) -> str:
    cells = queue_cells(db, {"org_id": "brightpath", "questions": ["best-crm-startups"]}, run_id)
    return cells_of_key(db, cells[0]["cell_key"]).queue_id


def fail_call(db: Database, queue: str, context: StepContext, kind: str = "HTTP 500") -> None:
    with pytest.raises(ProviderCallFailed), provider_call(db, queue, "perplexity", context):
        raise ProviderCallFailed(HTTP_500 if kind == "HTTP 500" else "model 'sonar' timed out", kind=kind)


def succeed_call(db: Database, queue: str, context: StepContext) -> None:
    with provider_call(db, queue, "perplexity", context):
        pass


def is_open(db: Database, queue: str, context: StepContext) -> bool:
    try:
        succeed_call(db, queue, replace(context, sleep=lambda _: None))
    except ProviderUnavailable:
        return True
    return False


def test_only_consecutive_failures_of_one_kind_open_it_and_a_success_resets_the_count(demo_db: Database) -> None:
    queue, context = queue_id(demo_db, "manual__1"), step_context()
    fail_call(demo_db, queue, context)
    fail_call(demo_db, queue, context)
    succeed_call(demo_db, queue, context)
    fail_call(demo_db, queue, context)
    fail_call(demo_db, queue, context)
    fail_call(demo_db, queue, context, kind="timeout")  # a different failure starts the count again
    fail_call(demo_db, queue, context)
    with demo_db.transaction() as s:
        state = s.get(ProviderBreaker, (queue, "perplexity"))
        assert state is not None and state.failures == 1 and state.opened_at is None
    fail_call(demo_db, queue, context)
    fail_call(demo_db, queue, context)
    with pytest.raises(ProviderUnavailable, match=r"^provider perplexity unavailable: last error model 'sonar'"):
        succeed_call(demo_db, queue, context)


def test_after_the_cool_down_one_trial_call_decides_for_everyone(demo_db: Database) -> None:
    clock = Clock()
    queue = queue_id(demo_db, "manual__1")
    context = replace(step_context(), now=clock, breaker=BreakerSettings(failures=3, cooldown_s=60))
    for _ in range(3):
        fail_call(demo_db, queue, context)
    clock.advance(59)
    assert is_open(demo_db, queue, context)

    clock.advance(1)  # half-open: the next call is a trial, and it fails
    fail_call(demo_db, queue, context)
    clock.advance(59)
    assert is_open(demo_db, queue, context)  # a failed trial opens it for another cool-down

    clock.advance(1)
    with contextlib.ExitStack() as trial:
        trial.enter_context(provider_call(demo_db, queue, "perplexity", context))
        # A call arriving while the trial is in flight waits for it; the trial succeeds meanwhile.
        waits: list[float] = []

        def trial_answers(seconds: float) -> None:
            waits.append(seconds)
            clock.advance(seconds)
            trial.close()

        with provider_call(demo_db, queue, "perplexity", replace(context, sleep=trial_answers)) as deadline_s:
            assert waits == [1.0] and deadline_s == context.ai_deadline_s - 1
    assert not is_open(demo_db, queue, context)
    with demo_db.transaction() as s:
        state = s.get(ProviderBreaker, (queue, "perplexity"))
        assert state is not None and (state.failures, state.opened_at, state.last_error) == (0, None, None)


def test_a_call_waiting_on_a_trial_that_does_not_end_gives_up_within_its_deadline(demo_db: Database) -> None:
    clock = Clock()
    queue = queue_id(demo_db, "manual__1")
    context = replace(step_context(deadline_s=10), now=clock, sleep=clock.advance)
    for _ in range(3):
        fail_call(demo_db, queue, context)
    clock.advance(60)
    with provider_call(demo_db, queue, "perplexity", context):
        started = clock()
        with pytest.raises(ProviderUnavailable, match="a trial call is still deciding whether it is back"):
            succeed_call(demo_db, queue, context)
        assert clock() - started <= timedelta(seconds=10)


def test_a_providers_breaker_holds_only_within_its_queue(demo_db: Database) -> None:
    first, second, context = queue_id(demo_db, "run_1"), queue_id(demo_db, "run_2"), step_context()
    for _ in range(3):
        fail_call(demo_db, first, context)
    assert is_open(demo_db, first, context)
    assert not is_open(demo_db, second, context)
    with provider_call(demo_db, first, "openai", context):
        pass  # another provider of the same queue is not held


def test_concurrent_failures_are_all_counted(demo_db: Database) -> None:
    queue = queue_id(demo_db, "manual__1")
    context = replace(step_context(), breaker=BreakerSettings(failures=1000))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def fail_many() -> None:
        start.wait()
        try:
            for _ in range(20):
                fail_call(demo_db, queue, context)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=fail_many) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with demo_db.transaction() as s:
        state = s.get(ProviderBreaker, (queue, "perplexity"))
        assert state is not None and state.failures == 40


def test_a_trial_stopped_without_an_answer_lets_the_next_call_try_at_once(demo_db: Database) -> None:
    clock = Clock()
    queue = queue_id(demo_db, "manual__1")
    context = replace(step_context(), now=clock, sleep=clock.advance)
    for _ in range(3):
        fail_call(demo_db, queue, context)
    clock.advance(60)
    with pytest.raises(KeyboardInterrupt), provider_call(demo_db, queue, "perplexity", context):
        raise KeyboardInterrupt  # the trial's worker was stopped
    started = clock()
    succeed_call(demo_db, queue, context)  # the next trial, without waiting for the stopped one
    assert clock() == started and not is_open(demo_db, queue, context)
