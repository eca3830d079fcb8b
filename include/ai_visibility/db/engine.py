"""Engines (a PostgreSQL connect waits, bounded, for a server it cannot reach), transactions and the
upsert every step writes with."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, Table, create_engine, delete, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

T = TypeVar("T")
log = logging.getLogger(__name__)

# The waits between attempts to connect to an app database that cannot be reached: 45 s in all, so
# a database restarting or failing over, or a network blip, costs a step a pause rather than a failure.
CONNECT_RETRY_DELAYS_S: tuple[float, ...] = (1, 2, 4, 8, 8, 8, 8, 6)
# Each attempt's own limit, so a host that drops packets does not hang it for the TCP timeout.
CONNECT_TIMEOUT_S = 10
# What the driver says when the server cannot be reached (as opposed to refusing these credentials or
# this database, which waiting does not heal).
UNREACHABLE = (
    "connection refused",
    "connection reset",
    "server closed the connection",
    "timeout expired",
    "connection timed out",
    "no route to host",
    "network is unreachable",
    "could not translate host name",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
)


def unreachable_reason(exc: BaseException) -> str | None:
    """The marker of an error that says the server cannot be reached now; None for any other error."""
    message = str(exc).lower()
    return next((marker for marker in UNREACHABLE if marker in message), None)


def connect_waiting(
    connect: Callable[[], T],
    where: str,
    delays: Sequence[float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """`connect()`, tried again after each of `delays` while the server cannot be reached; the last
    attempt's error is raised once they are spent. `where` (host:port) names the server in the log;
    credentials never appear there."""
    waits = CONNECT_RETRY_DELAYS_S if delays is None else tuple(delays)
    pause = sleep or time.sleep
    for n, delay in enumerate(waits, 1):
        try:
            return connect()
        except Exception as exc:
            reason = unreachable_reason(exc)
            if reason is None:
                raise
            log.warning(
                "app database unreachable at %s, retrying (%d/%d) in %g s: %s", where, n, len(waits), delay, reason
            )
            pause(delay)
    try:
        return connect()
    except Exception as exc:
        if unreachable_reason(exc) is not None:
            log.error("app database unreachable at %s after %d retries over %g s", where, len(waits), sum(waits))
        raise


def _where(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


@cache
def _engine(url: str, wait_for_server: bool) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event own transactions, so each one can take the write
            # lock up front: parallel steps then queue on busy_timeout instead of failing on
            # a lock upgrade.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    if not wait_for_server:
        return engine
    where = _where(url)

    @event.listens_for(engine, "do_connect")
    def _connect_waiting(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        return connect_waiting(lambda: dialect.connect(*cargs, **cparams), where)

    return engine


class Database:
    """The app database at one URL; `transaction()` is the unit every step commits. Steps wait for a
    server they cannot reach (`wait_for_server`); a person at a page or a prompt is told at once."""

    def __init__(self, url: str, *, wait_for_server: bool = True) -> None:
        self.url = url
        self.engine = _engine(url, wait_for_server)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def wait_until_reachable(self) -> None:
        """Return once the database takes a connection (waiting as any connect does), or raise why not."""
        with self.engine.connect():
            pass

    def dispose(self) -> None:
        self.engine.dispose()


def upsert(
    session: Session,
    model: type[DeclarativeBase],
    rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    keep: Sequence[str] = (),
) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE, on PostgreSQL and SQLite alike.

    Columns named in `keep` are written on insert but left as they are on conflict.
    """
    batch = [dict(rows)] if isinstance(rows, Mapping) else [dict(r) for r in rows]
    if not batch:
        return
    dialect = session.get_bind().dialect.name
    session.execute(_upsert_statement(cast(Table, model.__table__), dialect, tuple(batch[0]), tuple(keep)), batch)


@lru_cache(maxsize=256)
def _upsert_statement(table: Table, dialect: str, columns: tuple[str, ...], keep: tuple[str, ...]) -> Any:
    """The upsert of rows of these columns, built once and executed with the rows as parameters: one
    built with the rows in it is compiled again on every call (SQLAlchemy cannot cache it)."""
    keys = [c.name for c in table.primary_key.columns]
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table)
    else:
        raise ValueError(f"unsupported database dialect {dialect!r}: use PostgreSQL or SQLite")
    updates = {name: stmt.excluded[name] for name in columns if name not in keys and name not in keep}
    if updates:
        return stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    return stmt.on_conflict_do_nothing(index_elements=keys)


def replace_cell_rows(
    session: Session, model: type[DeclarativeBase], cell_key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Make a question run's child rows exactly `rows`, in the caller's transaction: a rerun never adds to them."""
    table = cast(Table, model.__table__)
    session.execute(delete(table).where(table.c.cell_key == cell_key))
    upsert(session, model, rows)


def lock_for(session: Session, name: str) -> None:
    """Hold a lock named `name` until the transaction ends (SQLite transactions are already exclusive)."""
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def insert_missing(session: Session, model: type[DeclarativeBase], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: rows that already exist stay as they are."""
    if rows:
        upsert(session, model, rows, keep=tuple(rows[0]))


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes (written as UTC), PostgreSQL aware ones: make both aware UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
