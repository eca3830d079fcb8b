"""Alembic environment: the URL comes from the caller (`ai_visibility.db.migrate`), never a file."""

from alembic import context
from sqlalchemy import create_engine

from ai_visibility.db.models import Base

url = context.config.attributes.get("database_url") or context.config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("no database URL: run migrations through `ai-visibility db upgrade`")

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connectable = create_engine(url)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()
