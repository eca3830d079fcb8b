"""A provider's circuit breaker within one queue, kept in the app database so every worker and
container sees the same one.

After `failures` consecutive calls to a provider fail the same way (a call that exhausted its
retries counts once), the breaker opens: that provider's remaining calls in the queue fail fast,
before any request, instead of each spending its whole deadline in retries while holding an
AI-call slot. A success closes it. `cooldown_s` after it opened, the next call is a trial: its
success closes the breaker for everyone, its failure opens it for another cool-down.

A task a user cleared after the breaker opened (having fixed the provider, or seen it back) does not
wait out the cool-down: its call is the trial at once. A trial that fails opens the breaker again
after the cleared tries started, so the other cleared cells then fail fast instead of each trying.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from ai_visibility.db import Database, insert_missing
from ai_visibility.db.engine import as_utc
from ai_visibility.db.models import ProviderBreaker
from ai_visibility.errors import ProviderCallFailed, ProviderUnavailable
from ai_visibility.steps.context import StepContext

MAX_ERROR = 1000
POLL_S = 1.0


@dataclass(frozen=True)
class _Admission:
    trial: bool
    deadline_s: float


@contextmanager
def provider_call(db: Database, queue_id: str, provider: str, context: StepContext) -> Iterator[float]:
    """Admit one call to `provider` for a cell of `queue_id`, or raise `ProviderUnavailable`; yield the
    seconds the call may take and record how it ended."""
    admission = _admit(db, queue_id, provider, context)
    try:
        yield admission.deadline_s
    except ProviderCallFailed as exc:
        _record_failure(db, queue_id, provider, context, exc, admission.trial)
        raise
    except BaseException:
        # Neither up nor down (a rejected request, a killed step): the next call may try instead.
        if admission.trial:
            _release_trial(db, queue_id, provider)
        raise
    _record_success(db, queue_id, provider, context)


def _admit(db: Database, queue_id: str, provider: str, context: StepContext) -> _Admission:
    cooldown = timedelta(seconds=context.breaker.cooldown_s)
    started = context.now()
    while True:
        with db.transaction() as s:
            state = s.get(ProviderBreaker, (queue_id, provider), populate_existing=True)
            now = context.now()
            # A call that waited for a trial has that much less of its deadline, so the step still
            # ends within its limit.
            left = context.ai_deadline_s - (now - started).total_seconds()
            if state is None or state.opened_at is None:
                return _Admission(False, max(1.0, left))
            opened = as_utc(state.opened_at)
            cleared_since = context.cleared_at is not None and opened <= context.cleared_at
            if now < opened + cooldown and not cleared_since:
                raise _unavailable(provider, state)
            if _claim_trial(s, state, now, context):
                return _Admission(True, max(1.0, left))
        # Another call's trial is in flight and decides this call too: wait for it rather than fail a
        # cell the provider may be back for (clearing the failed cells after an outage starts several
        # at once).
        if left <= POLL_S:
            raise _unavailable(provider, state, waiting=True)
        context.sleep(POLL_S)


def _claim_trial(s: Session, state: ProviderBreaker, now: datetime, context: StepContext) -> bool:
    """Take the trial unless another call holds it; a trial older than a whole call was abandoned."""
    abandoned = now - timedelta(seconds=context.ai_deadline_s + POLL_S)
    claimed = s.execute(
        update(ProviderBreaker)
        .where(
            ProviderBreaker.queue_id == state.queue_id,
            ProviderBreaker.provider == state.provider,
            ProviderBreaker.opened_at.is_not(None),
            or_(ProviderBreaker.trial_started_at.is_(None), ProviderBreaker.trial_started_at <= abandoned),
        )
        .values(trial_started_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], claimed).rowcount == 1


def _release_trial(db: Database, queue_id: str, provider: str) -> None:
    with db.transaction() as s:
        s.execute(
            update(ProviderBreaker)
            .where(ProviderBreaker.queue_id == queue_id, ProviderBreaker.provider == provider)
            .values(trial_started_at=None)
        )


def _record_failure(
    db: Database, queue_id: str, provider: str, context: StepContext, exc: ProviderCallFailed, trial: bool
) -> None:
    now = context.now()
    with db.transaction() as s:
        insert_missing(
            s, ProviderBreaker, [{"queue_id": queue_id, "provider": provider, "failures": 0, "updated_at": now}]
        )
        # The row lock (SQLite's transactions are exclusive already) keeps concurrent failures from
        # losing counts.
        state = s.scalars(
            select(ProviderBreaker)
            .where(ProviderBreaker.queue_id == queue_id, ProviderBreaker.provider == provider)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        state.failures = state.failures + 1 if state.failure_kind == exc.kind else 1
        state.failure_kind, state.last_error, state.updated_at = exc.kind, str(exc)[:MAX_ERROR], now
        if trial:
            state.opened_at, state.trial_started_at = now, None
        elif state.opened_at is None and state.failures >= context.breaker.failures:
            state.opened_at = now


def _record_success(db: Database, queue_id: str, provider: str, context: StepContext) -> None:
    with db.transaction() as s:
        s.execute(
            update(ProviderBreaker)
            .where(
                ProviderBreaker.queue_id == queue_id,
                ProviderBreaker.provider == provider,
                or_(ProviderBreaker.failures > 0, ProviderBreaker.opened_at.is_not(None)),
            )
            .values(
                failures=0,
                failure_kind=None,
                last_error=None,
                opened_at=None,
                trial_started_at=None,
                updated_at=context.now(),
            )
        )


def _unavailable(provider: str, state: ProviderBreaker, waiting: bool = False) -> ProviderUnavailable:
    why = (
        "a trial call is still deciding whether it is back" if waiting else "its remaining calls in this run fail fast"
    )
    return ProviderUnavailable(
        f"provider {provider} unavailable: last error {state.last_error} ({state.failures} failed calls in a row; "
        f"{why}: clear the failed cells once the provider is back)"
    )
