"""Notices commits made by another process (the CLI, a second window) with `PRAGMA data_version`.

data_version moves on a connection whenever ANY other connection commits, and this process
has many (the engine's pool, the publisher's thread): on its own it cannot tell the CLI's commit
from our own autosave. So around every commit this process makes through a Session on the
watched engine the version is read twice, on the committing thread: just before the COMMIT (a
move since the last read is someone else's, and is kept as news) and just after it (the move
that is ours). Writes hold SQLite's write lock from BEGIN IMMEDIATE to COMMIT, so no other
process can commit between those two reads: nothing is mistaken for ours.

No Qt: the window polls `changed()` on its database worker. Only SQLite has data_version; on
other databases `changed()` is always False.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session


class ExternalChangeWatcher:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()  # the poll (database worker) and any committing thread
        self._connection: Any = engine.raw_connection() if engine.dialect.name == "sqlite" else None
        self._version = self._read()
        self._outside = False  # another process committed; seen just before one of ours
        if self._connection is not None:
            event.listen(Session, "before_commit", self._before_commit)
            event.listen(Session, "after_commit", self._after_commit)

    def _read(self) -> int:
        if self._connection is None:
            return 0
        cursor = self._connection.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            row = cursor.fetchone()
        finally:
            cursor.close()
        return int(row[0]) if row else 0

    def _ours(self, session: Session) -> bool:
        return session.get_bind() is self._engine  # reads (`reading`) never commit

    def _before_commit(self, session: Session) -> None:
        if self._ours(session):
            with self._lock:
                version = self._read()
                self._outside = self._outside or version != self._version
                self._version = version

    def _after_commit(self, session: Session) -> None:
        if self._ours(session):
            with self._lock:
                self._version = self._read()  # the move our own COMMIT made: not news

    def changed(self) -> bool:
        """True once after each commit made by another process since the previous call."""
        with self._lock:
            version = self._read()
            changed = self._outside or version != self._version
            self._version, self._outside = version, False
        return changed

    def close(self) -> None:
        with self._lock:
            if self._connection is None:
                return
            event.remove(Session, "before_commit", self._before_commit)
            event.remove(Session, "after_commit", self._after_commit)
            self._connection.close()
            self._connection = None
