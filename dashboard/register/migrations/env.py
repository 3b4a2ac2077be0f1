"""Alembic environment for the partner activity register.

``Store`` runs ``upgrade head`` on open, passing its connection in ``config.attributes``. From the
command line: ``alembic -c dashboard/register/alembic.ini upgrade head`` (uses ``DATABASE_URL``
when set, else the embedded SQLite file).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from dashboard.register.models import metadata
from pipelines.settings import database_url

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(), target_metadata=metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
