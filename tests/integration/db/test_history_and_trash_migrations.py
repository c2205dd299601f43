"""Migrations 0008 (activity history, publisher presence) and 0009 (trash) on a real file with the
data of the version before: nothing moves, every post is out of the trash, history rows go with
their post, and down again without losing a post or another table's rows through a cascade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from linkie_desktop.db.engine import make_engine
from linkie_desktop.db.migrate import SCHEMA_REVISION, downgrade, upgrade

BEFORE = "0007_post_upload_claim"
NOW = 1_764_000_000


@pytest.fixture
def old_file(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "linkie.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        upgrade(engine, BEFORE)
    finally:
        engine.dispose()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "INSERT INTO users (id, name, email, created_at) VALUES ('u1', 'Alex', 'a@b.c', ?)",
            (NOW,),
        )
        for post_id in ("p1", "p2"):
            raw.execute(
                "INSERT INTO posts (id, user_id, content, status, retry_count, created_at, "
                "updated_at) VALUES (?, 'u1', 'text', 'published', 0, ?, ?)",
                (post_id, NOW, NOW),
            )
        raw.execute(
            "INSERT INTO post_media (id, post_id, user_id, position, kind, path, created_at) "
            "VALUES ('m1', 'p1', 'u1', 0, 'image', 'a.png', ?)",
            (NOW,),
        )
        raw.execute(
            "INSERT INTO post_linkedin_stats (post_id, user_id, impressions, fetched_at) "
            "VALUES ('p1', 'u1', 42, ?)",
            (NOW,),
        )
    raw.close()
    return url, path


def _migrate(url: str, to: str, down: bool = False) -> None:
    engine = make_engine(url)
    try:
        (downgrade if down else upgrade)(engine, to)
    finally:
        engine.dispose()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    raw = sqlite3.connect(path)
    try:
        raw.execute("PRAGMA foreign_keys=ON")
        return raw.execute(sql).fetchall()
    finally:
        raw.close()


def test_upgrading_keeps_every_row_and_no_post_is_in_the_trash(old_file: tuple[str, Path]) -> None:
    url, path = old_file
    _migrate(url, SCHEMA_REVISION)
    assert _rows(path, "SELECT id, deleted_at FROM posts ORDER BY id") == [
        ("p1", None),
        ("p2", None),
    ]
    assert _rows(path, "SELECT count(*) FROM post_media") == [(1,)]
    assert _rows(path, "SELECT count(*) FROM post_linkedin_stats") == [(1,)]
    assert _rows(path, "SELECT count(*) FROM post_events") == [(0,)]
    assert _rows(path, "SELECT count(*) FROM publisher_presence") == [(0,)]


def test_history_rows_go_with_their_post(old_file: tuple[str, Path]) -> None:
    url, path = old_file
    _migrate(url, SCHEMA_REVISION)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("PRAGMA foreign_keys=ON")
        for event_id, post_id in (("e1", "p1"), ("e2", "p2")):
            raw.execute(
                "INSERT INTO post_events (id, user_id, post_id, at, kind, outcome, actor) "
                "VALUES (?, 'u1', ?, ?, 'published', 'success', 'window')",
                (event_id, post_id, NOW),
            )
        raw.execute("DELETE FROM posts WHERE id = 'p1'")
    raw.close()
    assert _rows(path, "SELECT id FROM post_events") == [("e2",)]


def test_down_to_the_version_before_loses_only_the_new_parts(old_file: tuple[str, Path]) -> None:
    url, path = old_file
    _migrate(url, SCHEMA_REVISION)
    _migrate(url, BEFORE, down=True)
    tables = {row[0] for row in _rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "post_events" not in tables and "publisher_presence" not in tables
    columns = {row[1] for row in _rows(path, "PRAGMA table_info(posts)")}
    assert "deleted_at" not in columns
    assert _rows(path, "SELECT count(*) FROM posts") == [(2,)]
    assert _rows(path, "SELECT count(*) FROM post_media") == [(1,)]
    assert _rows(path, "SELECT count(*) FROM post_linkedin_stats") == [(1,)]
