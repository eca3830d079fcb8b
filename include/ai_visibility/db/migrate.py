"""Alembic migrations of the app database, run from the package (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ai_visibility.db.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


class SchemaOutOfDate(RuntimeError):
    pass


def require_current_schema(db: Database) -> None:
    """Fail with the fix when the app database has not been migrated to this code's schema."""
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current != head_revision():
        raise SchemaOutOfDate(
            f"the app database at {db.engine.url.render_as_string(hide_password=True)} is at schema "
            f"revision {current or 'none'} but this code needs {head_revision()}: "
            "run `ai-visibility db-upgrade` against it (with the same connection) first"
        )
