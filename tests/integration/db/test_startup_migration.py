"""Start-up migration is safe: backups first, refusals leave the file untouched, clear errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from linkie_desktop import config
from linkie_desktop.db.engine import make_engine
from linkie_desktop.db.errors import (
    CannotWriteError,
    DatabaseError,
    NewerVersionError,
    NotLinkieDatabaseError,
)
from linkie_desktop.db.migrate import (
    BACKUPS_KEPT,
    backup,
    downgrade,
    head_revision,
    prepare_database,
)
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences, save_preferences
from linkie_desktop.services.workspace import open_workspace
from tests.disk_support import another_apps_database, listing, make_read_only, small_disk
from tests.disk_support import digest as _digest


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_a_missing_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "linkie.db"
    engine, result = prepare_database(_url(path))
    engine.dispose()
    assert path.is_file()
    assert result.previous is None and result.revision == head_revision()
    assert result.backup is None


def test_a_location_that_cannot_be_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseError, match="Cannot create the folder"):
        prepare_database(_url(blocker / "linkie.db"))


def test_an_unwritable_location_is_a_clear_error() -> None:
    # /proc refuses new files even to root, so this holds whoever runs the tests.
    with pytest.raises(CannotWriteError, match=r"cannot create its database at /proc/linkie\.db"):
        prepare_database("sqlite:////proc/linkie.db")


def test_an_existing_database_on_a_read_only_disk_cannot_be_written_not_damaged(
    tmp_path: Path,
) -> None:
    with small_disk(tmp_path / "disk", 2048) as disk:
        cfg = config.load(db=str(disk / "linkie.db"), env={"LINKIE_DATA_DIR": str(disk)})
        workspace = open_workspace(cfg)
        PostService(workspace.engine, workspace.user_id).add("written before the disk went ro")
        workspace.close()
        before = _digest(disk / "linkie.db")
        make_read_only(disk)
        with pytest.raises(CannotWriteError) as refused:
            open_workspace(cfg)
        assert "cannot write" in str(refused.value)
        assert "damaged" not in str(refused.value)
        assert _digest(disk / "linkie.db") == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    path.write_bytes(b"%PDF-1.7 this is somebody's document" * 100)
    before = _digest(path)
    with pytest.raises(NotLinkieDatabaseError, match="not an SQLite file"):
        prepare_database(_url(path))
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linkie.db"]


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_another_apps_sqlite_file_is_refused_and_left_byte_identical(
    tmp_path: Path, wal: bool
) -> None:
    path = another_apps_database(tmp_path / "recipes.db", wal=wal)
    before, files = _digest(path), listing(tmp_path)
    with pytest.raises(NotLinkieDatabaseError, match="not a Linkie database"):
        open_workspace(config.load(db=str(path), env={"LINKIE_DATA_DIR": str(tmp_path / "d")}))
    assert _digest(path) == before
    assert listing(tmp_path) == files  # no backup, no -wal or -shm left beside it
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert tables == {"recipes", "ingredients"}


def test_another_alembic_apps_database_is_not_taken_for_a_newer_linkie(tmp_path: Path) -> None:
    path = another_apps_database(tmp_path / "shop.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NotLinkieDatabaseError, match="another program's tables"):
        prepare_database(_url(path))
    assert _digest(path) == before


def test_the_cli_refuses_another_apps_database_in_one_line(tmp_path: Path) -> None:
    path = another_apps_database(tmp_path / "recipes.db", wal=True)
    before, files = _digest(path), listing(tmp_path)
    env = {**os.environ, "LINKIE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("linkie")), "--db", str(path), "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"linkie: {path} is not a Linkie database"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert _digest(path) == before
    assert listing(tmp_path) == files


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    engine, _ = prepare_database(_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    engine.dispose()
    before = _digest(path)
    with pytest.raises(NewerVersionError, match="newer version of Linkie Desktop"):
        prepare_database(_url(path))
    assert _digest(path) == before
    assert not list(tmp_path.glob("*.backup-*"))


def test_an_existing_database_with_data_is_backed_up_before_upgrading(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    cfg = config.load(db=str(path), env={})
    workspace = open_workspace(cfg)
    post_id = PostService(workspace.engine, workspace.user_id).add("keep me").id
    downgrade(workspace.engine, "base")  # an old file: data present, schema behind
    workspace.close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE posts (id TEXT PRIMARY KEY, content TEXT)")
    conn.execute("INSERT INTO posts VALUES (?, 'keep me')", (post_id,))
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match=r"Your data is safe in .*backup-"):
        prepare_database(_url(path))  # the old table blocks the upgrade
    backups = list(tmp_path.glob("linkie.db.backup-*"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT content FROM posts WHERE id = ?", (post_id,)).fetchone() == (
        "keep me",
    )
    copy.close()


def test_upgrading_a_stamped_older_database_backs_it_up_and_migrates(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    engine = make_engine(_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql("CREATE TABLE notes (body TEXT)")
        conn.exec_driver_sql("INSERT INTO notes VALUES ('hello')")
    engine.dispose()
    engine, result = prepare_database(_url(path))
    engine.dispose()
    assert result.backup is not None and result.backup.is_file()
    assert result.revision == head_revision()


def test_an_up_to_date_database_is_not_backed_up_again(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    for _ in range(3):
        engine, result = prepare_database(_url(path))
        engine.dispose()
        assert result.backup is None


def test_only_the_newest_backups_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "linkie.db"
    engine, _ = prepare_database(_url(path))
    engine.dispose()
    for minute in range(BACKUPS_KEPT + 3):
        backup(path, now=datetime(2026, 11, 1, 12, minute, tzinfo=UTC))
    kept = sorted(p.name for p in tmp_path.glob("linkie.db.backup-*"))
    assert len(kept) == BACKUPS_KEPT
    assert kept[0] == "linkie.db.backup-20261101-120300"
    assert kept[-1] == f"linkie.db.backup-20261101-12{BACKUPS_KEPT + 2:02d}00"


def test_the_backup_before_a_migration_keeps_as_many_as_settings_say(tmp_path: Path) -> None:
    data = tmp_path / "data"
    save_preferences(data, Preferences(backups_kept=2))
    path = tmp_path / "linkie.db"
    engine = make_engine(_url(path))
    with engine.begin() as conn:  # an older file holding data: start-up backs it up first
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql("CREATE TABLE notes (body TEXT)")
        conn.exec_driver_sql("INSERT INTO notes VALUES ('hello')")
    engine.dispose()
    for minute in range(4):  # four older backups already there
        backup(path, now=datetime(2026, 11, 1, 12, minute, tzinfo=UTC))
    workspace = open_workspace(config.load(db=str(path), env={"LINKIE_DATA_DIR": str(data)}))
    workspace.close()
    kept = sorted(p.name for p in tmp_path.glob("linkie.db.backup-*"))
    assert len(kept) == 2  # Settings › Backups said 2, not the default 7
    assert workspace.migration.backup is not None and workspace.migration.backup.name in kept
