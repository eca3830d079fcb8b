"""A throwaway, migrated PostgreSQL database: for tests and benchmarks that need a real server
without touching anyone's data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ai_visibility.db.engine import _engine
from ai_visibility.db.migrate import upgrade


@contextmanager
def scratch_postgres(admin_url: str, prefix: str) -> Iterator[str]:
    """Create a database named `prefix` and a random suffix on the server of `admin_url`, migrate it
    to head, yield its URL, and drop it afterwards (with FORCE: a test that failed may hold a
    connection)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        for waiting in (True, False):  # the steps' engine and the pages' and prompts' one
            _engine(url, waiting).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
