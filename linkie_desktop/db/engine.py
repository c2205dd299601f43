"""The SQLAlchemy engine: the local SQLite file (with the pragmas every connection needs), or a
shared PostgreSQL database (`postgresql+psycopg://…`, psycopg 3)."""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

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


# Execution option that marks a connection as reading only (see `reading`).
_READING = "linkie_reading"


def _on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(_READING):
        # Deferred: in WAL a reader never takes the write lock, so a long read (a big list, an
        # analytics year) never holds up an autosave in another thread or process.
        connection.exec_driver_sql("BEGIN")
        return
    # IMMEDIATE takes the write lock up front: two processes (app + CLI) then queue on the busy
    # timeout instead of failing with SQLITE_BUSY when a read transaction tries to upgrade.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# Any fixed number: the lock every Linkie write transaction on a shared database takes first.
_WRITE_LOCK = 0x4C4B5752  # "LKWR"


def _on_begin_postgresql(connection: Any) -> None:
    if connection.get_execution_options().get(_READING):
        return  # a read is one snapshot and blocks no one (see `reading`)
    # Writers one at a time, as SQLite's BEGIN IMMEDIATE has them: each read-then-write in the
    # services (the next free slot of the queue, a unique title, a claim's checks) stays as safe
    # across machines as it is across processes on one file. Writes are short, and no request to
    # LinkedIn is ever made inside one, so the wait is milliseconds.
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections get foreign keys, WAL and a busy timeout."""
    # hide_parameters: an error's text (logged, shown in the crash dialog, printed by the CLI)
    # names the SQL but never the values bound to it, which are the user's titles and posts.
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        # A name of its own on every connection: the change notices carry it (engine_name).
        # pre_ping: a shared server restarts now and then; a window open for days must not meet
        # a dead pooled connection at its next autosave.
        named = parsed.update_query_dict({"application_name": f"linkie-{secrets.token_hex(6)}"})
        engine = create_engine(named, hide_parameters=True, pool_pre_ping=True)
        event.listen(engine, "begin", _on_begin_postgresql)
        return engine
    engine = create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    return engine


# PostgreSQL's channel of change notices (migration 0012 sends them, services/external_changes
# listens); the migration spells it out too, as migrations never import what may change.
CHANGES_CHANNEL = "linkie_changes"


def engine_name(engine: Engine) -> str:
    """The name this engine's PostgreSQL connections give themselves ("" on SQLite): a change
    notice carrying it was sent by a commit of this very engine."""
    return str(engine.url.query.get("application_name", ""))


def checkpoint(engine: Engine) -> bool:
    """Copy the WAL into the main file and empty it, so the main file alone is the whole database
    (a copy of it, or a sync tool that takes only it, misses nothing). True when all of it went.

    SQLite does this by itself only when the last connection closes, and not at all while another
    program (the CLI, a backup tool) has the file open. A failure (a full disk) loses nothing:
    the WAL stays, and SQLite folds it in the next time the database is opened.
    """
    if engine.dialect.name != "sqlite":
        return True
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = cursor.fetchone()
        finally:
            raw.close()
    except (sqlite3.Error, SQLAlchemyError) as exc:
        log.warning("could not checkpoint the database: %s", getattr(exc, "orig", None) or exc)
        return False
    # (busy, frames in the WAL, frames checkpointed); busy means a reader kept some back.
    return row is None or row[0] == 0


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit, so they can be handed to the UI as plain values.
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One short unit of work: commit on success, roll back on any error."""
    with session_factory(engine).begin() as session:
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """One consistent read: a deferred transaction that never takes the write lock. Writes
    belong in `transaction`.

    Closing (not rolling back) ends it: the pool rolls the connection back, so nothing written
    here by mistake is kept, while the objects read stay loaded for the caller (a rollback would
    expire them).
    """
    options: dict[str, Any] = {_READING: True}
    if engine.dialect.name == "postgresql":
        # PostgreSQL's readers never block writers at any level; REPEATABLE READ makes the read
        # one snapshot (as SQLite's deferred transaction is), READ ONLY refuses a stray write.
        options |= {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with Session(engine.execution_options(**options)) as session:
        yield session
