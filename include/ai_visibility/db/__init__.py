"""The app database: typed ORM models, engine/session handling, the upsert every step writes with,
connection URLs and Alembic migrations.

May import: `ai_visibility.errors` and `ai_visibility.env_connections`; nothing else of the domain.
"""

from ai_visibility.db.engine import Database, insert_missing, replace_cell_rows, upsert

__all__ = ["Database", "insert_missing", "replace_cell_rows", "upsert"]
