"""The app database's bounded wait on connect: a database that cannot be reached is tried again
after each pause until it answers or the pauses are spent, each retry logged with its host and port
and never the credentials; other errors are not waited on. Against real sockets on 127.0.0.1 (a
closed port, and a proxy to the test PostgreSQL that opens during the wait); the pauses are
recorded, not slept."""

from __future__ import annotations

import logging
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from ai_visibility.db import Database
from ai_visibility.db import engine as engine_module
from ai_visibility.db.engine import connect_waiting
from tests.conftest import _postgres_or_fail
from tests.helpers import TcpProxy, free_port

SECRET = "s3cret-pw"


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == engine_module.__name__]


def test_a_closed_port_is_tried_again_after_each_pause_then_its_error_is_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()  # nothing listens there
    pauses: list[float] = []
    attempts = 0

    def connect() -> psycopg.Connection:
        nonlocal attempts
        attempts += 1
        return psycopg.connect(f"host=127.0.0.1 port={port} user=aiv password={SECRET} dbname=app connect_timeout=5")

    caplog.set_level(logging.WARNING, engine_module.__name__)
    with pytest.raises(psycopg.OperationalError, match="Connection refused"):
        connect_waiting(connect, f"127.0.0.1:{port}", delays=(1, 2, 4), sleep=pauses.append)
    assert (attempts, pauses) == (4, [1, 2, 4])
    lines = retry_lines(caplog)
    assert lines[:3] == [
        f"app database unreachable at 127.0.0.1:{port}, retrying ({n}/3) in {d} s: connection refused"
        for n, d in ((1, 1), (2, 2), (3, 4))
    ]
    assert lines[3] == f"app database unreachable at 127.0.0.1:{port} after 3 retries over 7 s"
    assert not any(SECRET in line for line in lines)


def test_an_error_other_than_an_unreachable_server_is_not_waited_on() -> None:
    pauses: list[float] = []

    def refused_credentials() -> None:
        raise psycopg.OperationalError('connection failed: FATAL:  password authentication failed for user "aiv"')

    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect_waiting(refused_credentials, "127.0.0.1:5432", delays=(1, 2), sleep=pauses.append)
    assert pauses == []


def test_a_database_that_comes_back_during_the_wait_is_connected_and_used(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    admin = make_url(_postgres_or_fail())
    proxy = TcpProxy((admin.host or "127.0.0.1", admin.port or 5432))
    proxy.cut()  # the database is out of reach when the step starts
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            proxy.restore()  # back during the second pause

    monkeypatch.setattr(engine_module, "CONNECT_RETRY_DELAYS_S", (1, 2, 4, 8))
    monkeypatch.setattr(time, "sleep", pause)
    caplog.set_level(logging.WARNING, engine_module.__name__)
    db = Database(admin.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    try:
        db.wait_until_reachable()
        with db.transaction() as s:
            assert s.execute(text("SELECT 1")).scalar() == 1
    finally:
        db.dispose()
        proxy.cut()
    assert pauses == [1, 2]  # two failed attempts, the third connected
    assert [line.split(",")[1] for line in retry_lines(caplog)] == [
        " retrying (1/4) in 1 s: connection refused",
        " retrying (2/4) in 2 s: connection refused",
    ]


def test_a_database_out_of_reach_past_the_bound_fails_the_step_with_the_connection_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(engine_module, "CONNECT_RETRY_DELAYS_S", (1, 2))
    monkeypatch.setattr(time, "sleep", pauses.append)
    db = Database(f"postgresql+psycopg://aiv:{SECRET}@127.0.0.1:{free_port()}/app")
    try:
        with pytest.raises(OperationalError, match="Connection refused") as failure:
            db.wait_until_reachable()
    finally:
        db.dispose()
    assert pauses == [1, 2]
    assert SECRET not in str(failure.value)


def test_a_page_or_a_prompt_is_told_at_once_that_the_database_is_out_of_reach(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(time, "sleep", pauses.append)
    db = Database(f"postgresql+psycopg://aiv:{SECRET}@127.0.0.1:{free_port()}/app", wait_for_server=False)
    try:
        with caplog.at_level(logging.WARNING), pytest.raises(OperationalError, match="Connection refused"):
            db.wait_until_reachable()
    finally:
        db.dispose()
    assert pauses == []
    assert retry_lines(caplog) == []
