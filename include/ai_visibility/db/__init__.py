"""The app database: typed ORM models, engine/session handling and Alembic migrations."""

from ai_visibility.db.engine import Database, insert_missing, replace_cell_rows, upsert

__all__ = ["Database", "insert_missing", "replace_cell_rows", "upsert"]
