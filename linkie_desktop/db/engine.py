"""The SQLAlchemy engine over the local SQLite file, with the pragmas every connection needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy decide where transactions begin (pysqlite's own guessing is unreliable).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: two processes (app + CLI) then queue on the busy
    # timeout instead of failing with SQLITE_BUSY when a read transaction tries to upgrade.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections get foreign keys, WAL and a busy timeout."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit, so they can be handed to the UI as plain values.
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One short unit of work: commit on success, roll back on any error."""
    with session_factory(engine).begin() as session:
        yield session
