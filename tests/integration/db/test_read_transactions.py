"""Reads never take SQLite's write lock; writes still take it up front. (PostgreSQL's readers never
block writers; its reads are one snapshot and refuse a stray write.)"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import InternalError

from linkie_desktop.db import queries
from linkie_desktop.db.engine import reading, transaction


def test_a_write_goes_through_while_a_read_is_still_open(engine: Engine, user_id: str) -> None:
    with reading(engine) as session:
        assert queries.get_all_posts(session, user_id) == []  # the read has begun
        # Another connection writes meanwhile (an autosave); with the write lock held by the
        # read, this would wait out the busy timeout and fail with "database is locked".
        with transaction(engine) as writer:
            queries.create_post(writer, {"user_id": user_id, "content": "saved meanwhile"})
        # The read sees the snapshot it started with.
        assert queries.get_all_posts(session, user_id) == []
    with reading(engine) as session:
        assert [p.content for p in queries.get_all_posts(session, user_id)] == ["saved meanwhile"]


@pytest.mark.sqlite_only  # SQLite's file lock
def test_another_process_can_write_while_a_read_is_open(engine: Engine, db_path: Path) -> None:
    with reading(engine) as session:
        session.execute(text("SELECT count(*) FROM posts")).scalar_one()
        other = sqlite3.connect(db_path, timeout=0)  # no waiting at all
        try:
            other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the read held it
            other.rollback()
        finally:
            other.close()


@pytest.mark.sqlite_only  # SQLite's file lock
def test_a_write_transaction_takes_the_write_lock_at_once(engine: Engine, db_path: Path) -> None:
    with transaction(engine) as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(db_path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
        else:
            raise AssertionError("a write transaction let another writer in")
        finally:
            other.close()


def test_nothing_written_inside_a_read_is_kept(engine: Engine, user_id: str) -> None:
    if engine.dialect.name == "postgresql":
        # A READ ONLY transaction refuses the write outright.
        with (
            pytest.raises(InternalError, match="read-only transaction"),
            reading(engine) as session,
        ):
            queries.create_post(session, {"user_id": user_id, "content": "by mistake"})
    else:
        with reading(engine) as session:
            queries.create_post(session, {"user_id": user_id, "content": "by mistake"})
    with reading(engine) as session:
        assert queries.get_all_posts(session, user_id) == []


def test_what_a_read_returns_stays_readable_after_it_ends(engine: Engine, user_id: str) -> None:
    with transaction(engine) as writer:
        queries.create_post(writer, {"user_id": user_id, "content": "kept", "title": "T"})
    with reading(engine) as session:
        [post] = queries.get_all_posts(session, user_id)
    assert (post.title, post.content) == ("T", "kept")  # loaded, not expired


def test_write_transactions_take_turns_as_on_one_file(engine: Engine, user_id: str) -> None:
    """A second writer (another thread here; another machine on a shared database) waits until
    the first commits, on PostgreSQL as on SQLite: a service's read-then-write (the next free
    queue slot, say) is never interleaved with another's."""
    second_done = threading.Event()

    def second_writer() -> None:
        with transaction(engine) as session:
            queries.create_post(session, {"user_id": user_id, "content": "second"})
        second_done.set()

    with transaction(engine) as first:
        queries.create_post(first, {"user_id": user_id, "content": "first"})
        other = threading.Thread(target=second_writer)
        other.start()
        # Bounded wait for something that must NOT happen while the first is open.
        assert not second_done.wait(timeout=0.5), "a second writer ran inside the first's turn"
    other.join(timeout=30)
    assert second_done.is_set()
    with reading(engine) as session:
        assert sorted(p.content for p in queries.get_all_posts(session, user_id)) == [
            "first",
            "second",
        ]
