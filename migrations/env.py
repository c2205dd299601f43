"""Alembic environment: runs on the app's own connection when given one, else on LINKIE_DB."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from linkie_desktop import config as app_config
from linkie_desktop.db.engine import make_engine
from linkie_desktop.db.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(app_config.load().database_url)
    try:
        with engine.connect() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Linkie Desktop migrations run online only (they need the SQLite file).")
run_migrations_online()
