"""Engines, transactions and the upsert every step writes with."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Engine, Table, create_engine, delete, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


@cache
def _engine(url: str) -> Engine:
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
    return create_engine(url, pool_pre_ping=True)


class Database:
    """The app database at one URL; `transaction()` is the unit every step commits."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

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
    table = cast(Table, model.__table__)
    keys = [c.name for c in table.primary_key.columns]
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).values(batch)
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(batch)
    else:
        raise ValueError(f"unsupported database dialect {dialect!r}: use PostgreSQL or SQLite")
    updates = {name: stmt.excluded[name] for name in batch[0] if name not in keys and name not in keep}
    if updates:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    session.execute(stmt)


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
