"""Backups are whole and checked: taken live beside a busy WAL, and a broken one never counts."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from linkie_desktop import config
from linkie_desktop.db.migrate import BACKUPS_KEPT, backup, newest_backup
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import open_workspace
from tests.disk_support import listing

# A real process killed (SIGKILL) half-way through its backup: the SQLite connection it backs up
# from steps one page at a time, and the progress callback kills the process mid-copy.
_KILLED_CHILD = """
import os, signal, sqlite3, sys
from pathlib import Path
from linkie_desktop.db import migrate

class KilledHalfWay(sqlite3.Connection):
    def backup(self, target, **_options):
        def progress(_status, remaining, total):
            if remaining < total // 2:
                os.kill(os.getpid(), signal.SIGKILL)
        super().backup(target, pages=1, progress=progress)

real_connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: real_connect(*args, factory=KilledHalfWay, **kwargs)
migrate.backup(Path(sys.argv[1]))
"""


def _database(folder: Path, posts: int = 60) -> Path:
    db = folder / "linkie.db"
    workspace = open_workspace(config.load(db=str(db), env={"LINKIE_DATA_DIR": str(folder)}))
    service = PostService(workspace.engine, workspace.user_id)
    for n in range(posts):
        service.add(f"post {n} " + "words " * 60)
    workspace.close()
    return db


def _backup_names(folder: Path) -> list[str]:
    return [name for name in listing(folder) if "backup" in name]


def _count_posts_in_a_lone_copy(copy: Path, elsewhere: Path) -> int:
    """Copy only this file to another folder (no -wal beside it) and count what it holds."""
    elsewhere.mkdir()
    lone = Path(shutil.copy(copy, elsewhere / "copy.db"))
    conn = sqlite3.connect(lone)
    try:
        (count,) = conn.execute("SELECT count(*) FROM posts").fetchone()
    finally:
        conn.close()
    return int(count)


def test_a_backup_taken_while_another_connection_holds_the_wal_is_complete(
    tmp_path: Path,
) -> None:
    db = _database(tmp_path, posts=3)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("PRAGMA wal_autocheckpoint=0")  # committed rows stay in the WAL only
        user_id = other.execute("SELECT id FROM users").fetchone()[0]
        for n in range(40):
            other.execute(
                "INSERT INTO posts (id, user_id, content, status, retry_count, created_at, "
                "updated_at) VALUES (?, ?, ?, 'draft', 0, 0, 0)",
                (f"wal-{n}", user_id, "only in the WAL " * 20),
            )
        other.execute("BEGIN IMMEDIATE")  # and a write still open, which must not be copied
        other.execute("DELETE FROM posts")
        assert (db.parent / "linkie.db-wal").stat().st_size > 0

        copy = backup(db)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _count_posts_in_a_lone_copy(copy, tmp_path / "elsewhere") == 43
    assert newest_backup(db) == copy
    assert not copy.with_name(copy.name + "-wal").exists()  # the copy stands alone


def test_a_backup_killed_half_way_never_counts_and_is_removed_next_time(tmp_path: Path) -> None:
    db = _database(tmp_path)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_CHILD, str(db)], capture_output=True, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = _backup_names(tmp_path)
    assert left, "the killed run left its half copy"
    assert newest_backup(db) is None  # a half copy is not a backup

    for minute in range(BACKUPS_KEPT):
        backup(db, now=datetime(2026, 11, 1, 12, minute, tzinfo=UTC))

    names = _backup_names(tmp_path)
    assert not set(left) & set(names), names  # the leftovers are gone
    assert names == [f"linkie.db.backup-20261101-12{m:02d}00" for m in range(BACKUPS_KEPT)]


def test_a_broken_copy_under_a_backup_name_never_counts_and_is_removed(tmp_path: Path) -> None:
    db = _database(tmp_path)
    # As an older version left it when killed while copying: a backup's name, half its bytes.
    whole = backup(db, now=datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    truncated = tmp_path / "linkie.db.backup-20261020-080000"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert newest_backup(db) == whole  # the newer name is not taken for a backup

    for minute in range(BACKUPS_KEPT - 1):
        backup(db, now=datetime(2026, 11, 1, 12, minute, tzinfo=UTC))

    names = _backup_names(tmp_path)
    assert truncated.name not in names
    assert len(names) == BACKUPS_KEPT  # the broken copy took no place among the five
    assert names[0] == whole.name  # and pushed no good backup out


def test_a_new_backup_is_checked_and_holds_every_post(tmp_path: Path) -> None:
    db = _database(tmp_path)
    copy = backup(db)
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()
    assert _count_posts_in_a_lone_copy(copy, tmp_path / "elsewhere") == 60
