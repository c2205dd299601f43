"""Notices commits made by another process (the CLI, a second window) with `PRAGMA data_version`.

data_version moves on a connection whenever ANY other connection commits, and this process
has many (the engine's pool, the publisher's thread): on its own it cannot tell the CLI's commit
from our own autosave. So around every commit this process makes through a Session on the
watched engine the version is read twice, on the committing thread: just before the COMMIT (a
move since the last read is someone else's, and is kept as news) and just after it (the move
that is ours). Writes hold SQLite's write lock from BEGIN IMMEDIATE to COMMIT, so no other
process can commit between those two reads: nothing is mistaken for ours.

On PostgreSQL (a database shared by several machines) every commit that writes posts, their
media or the settings sends a notice (migration 0012) whose payload names the writing engine
(db/engine.py gives each its own `application_name`): a notice that is not ours is news. The
watcher LISTENs on a connection of its own and reads the notices that arrived at each look.

No Qt: the window polls `look()` on its database worker.

A commit elsewhere is not always about posts: a background publisher's heartbeat commits every
tick. `look()` says which posts changed (those updated since the last look), whether the
connection's settings did, or that rows went away (then every view reads again); a commit that
changed none of them is no news, so the views are not reloaded (and scrolled back) for it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from linkie_desktop.db.engine import CHANGES_CHANNEL, engine_name, reading
from linkie_desktop.db.models import Post, UserSettings
from linkie_desktop.db.types import utc_now

# Stored times are whole seconds: a row written in the second of the last look is looked at again.
_SAME_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class SeenElsewhere:
    """What another process changed since the last look."""

    post_ids: tuple[str, ...]  # posts written (created, edited, published, trashed, uploading)
    everything: bool  # posts went away for good (or appeared unseen): every view reads again
    settings: bool  # the LinkedIn connection's settings (a `linkie connect`, a disconnect)

    @property
    def posts(self) -> bool:
        return self.everything or bool(self.post_ids)


@dataclass(frozen=True)
class _Marks:
    posts: int
    settings: datetime | None


def _marks(session: Session) -> _Marks:
    count = session.scalar(select(func.count()).select_from(Post)) or 0
    settings = session.scalar(select(func.max(UserSettings.updated_at)))
    return _Marks(count, settings)


class _DataVersion:
    """SQLite: data_version around each of this engine's commits (see the module's words)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()  # the poll (database worker) and any committing thread
        self._connection: Any = engine.raw_connection()
        self._version = self._read()
        self._outside = False  # another process committed; seen just before one of ours
        event.listen(Session, "before_commit", self._before_commit)
        event.listen(Session, "after_commit", self._after_commit)

    def _read(self) -> int:
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
        with self._lock:
            version = self._read()
            changed = self._outside or version != self._version
            self._version, self._outside = version, False
        return changed

    def close(self) -> None:
        with self._lock:
            event.remove(Session, "before_commit", self._before_commit)
            event.remove(Session, "after_commit", self._after_commit)
            self._connection.close()


class _Notices:
    """PostgreSQL: the change notices of other engines, on a connection that only listens."""

    def __init__(self, engine: Engine) -> None:
        self._own = engine_name(engine)
        self._lock = threading.Lock()
        self._outside = False
        fairy = engine.raw_connection()
        connection = fairy.driver_connection
        assert connection is not None  # a fresh connection out of the pool
        fairy.detach()  # it LISTENs: never hand it back to the pool for a query
        self._fairy = fairy
        connection.autocommit = True
        connection.add_notify_handler(self._heard)
        connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        self._connection: Any = connection

    def _heard(self, notice: Any) -> None:
        if notice.payload != self._own:
            self._outside = True

    def changed(self) -> bool:
        with self._lock:
            # A round trip: the server hands over every notice of a commit that has finished
            # before it answers (the committer was told "done" only after its notices were
            # signalled), and psycopg gives each to _heard on the way.
            self._connection.execute("SELECT 1")
            changed, self._outside = self._outside, False
        return changed

    def close(self) -> None:
        with self._lock:
            self._fairy.close()


class ExternalChangeWatcher:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._source: _DataVersion | _Notices | None = (
            _DataVersion(engine)
            if engine.dialect.name == "sqlite"
            else _Notices(engine)
            if engine.dialect.name == "postgresql"
            else None
        )
        self._looked_at: datetime | None = None  # when look() last read; None: not yet
        self._marks: _Marks | None = None

    def changed(self) -> bool:
        """True once after each commit made by another process since the previous call."""
        return self._source is not None and self._source.changed()

    def look(self) -> SeenElsewhere | None:
        """What another process changed since the previous look; None when nothing did (or
        only what no view shows, such as a publisher's heartbeat). The first look only takes
        its bearings."""
        now = utc_now()
        if self._marks is not None and not self.changed():
            self._looked_at = now
            return None
        with reading(self._engine) as session:
            marks = _marks(session)
            ids: tuple[str, ...] = ()
            if self._looked_at is not None:
                since = self._looked_at - _SAME_SECOND
                # An upload renews its claim as the bytes go (and leaves updated_at alone).
                written = (Post.updated_at >= since) | (Post.upload_claimed_at >= since)
                ids = tuple(session.scalars(select(Post.id).where(written)))
        before, self._marks, self._looked_at = self._marks, marks, now
        if before is None:
            self.changed()  # the bearings: what came before them is no news
            return None
        seen = SeenElsewhere(
            post_ids=ids,
            everything=marks.posts < before.posts or (marks.posts > before.posts and not ids),
            settings=marks.settings != before.settings,
        )
        return seen if seen.posts or seen.settings else None

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None
