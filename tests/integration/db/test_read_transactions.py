"""Reads never take SQLite's write lock; writes still take it up front. (PostgreSQL's readers never
block writers; its reads are one snapshot and refuse a stray write.)"""

from __future__ import annotations

import sqlite3
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
