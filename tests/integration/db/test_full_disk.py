"""A full disk is reported as a full disk, never as a damaged database, and loses nothing.

Each test runs on a real small tmpfs (tests/disk_support.py) filled to the last byte.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkie_desktop import config
from linkie_desktop.db.errors import DiskFullError
from linkie_desktop.db.migrate import downgrade
from linkie_desktop.logging_setup import setup_logging, stop_logging
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import open_workspace
from tests.disk_support import digest, fill, listing, small_disk

DISK_KIB = 4096


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk", DISK_KIB) as folder:
        yield folder


def _config(db: Path) -> config.Config:
    # Data and logs off the full disk: this test is about the database.
    return config.load(db=str(db), env={"LINKIE_DATA_DIR": str(db.parent.parent / "data")})


def _database_with_posts(db: Path, count: int = 20) -> None:
    workspace = open_workspace(_config(db))
    service = PostService(workspace.engine, workspace.user_id)
    for n in range(count):
        service.add(f"post {n} " + "words " * 40)
    workspace.close()


def _assert_full_not_damaged(error: DiskFullError, db: Path) -> None:
    text = str(error)
    assert f"The disk that holds {db} is full" in text
    assert "damaged or" not in text and "is damaged" not in text


def test_opening_an_up_to_date_database_on_a_full_disk_says_the_disk_is_full(disk: Path) -> None:
    db = disk / "linkie.db"
    _database_with_posts(db)
    before = digest(db)
    fill(disk)  # SQLite now cannot even grow its -shm file: a plain "disk I/O error"
    with pytest.raises(DiskFullError) as refused:
        open_workspace(_config(db))
    _assert_full_not_damaged(refused.value, db)
    assert digest(db) == before


def test_creating_a_database_on_a_full_disk_says_the_disk_is_full(disk: Path) -> None:
    fill(disk)
    db = disk / "linkie.db"
    with pytest.raises(DiskFullError) as refused:
        open_workspace(_config(db))
    _assert_full_not_damaged(refused.value, db)
    assert "Could not upgrade" not in str(refused.value)


def test_no_room_for_the_backup_before_an_upgrade_changes_nothing_and_leaves_no_half_copy(
    disk: Path,
) -> None:
    db = disk / "linkie.db"
    workspace = open_workspace(_config(db))
    PostService(workspace.engine, workspace.user_id).add("an old post " * 200)
    downgrade(workspace.engine, "0004_posts_figure_indexes")  # an older version's file
    workspace.close()
    before = digest(db)
    fill(disk)
    with pytest.raises(DiskFullError) as refused:
        open_workspace(_config(db))
    _assert_full_not_damaged(refused.value, db)
    assert digest(db) == before
    assert [name for name in listing(disk) if "backup" in name] == []  # no half copy counts
    (disk / "filler").unlink()  # room again, to read the file with a plain SQLite connection
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
        "0004_posts_figure_indexes",
    )
    conn.close()


def test_the_cli_says_the_disk_is_full_in_one_line(disk: Path, tmp_path: Path) -> None:
    db = disk / "linkie.db"
    _database_with_posts(db)
    fill(disk)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("linkie")), "--db", str(db), "posts", "list"],
        env={**os.environ, "LINKIE_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"linkie: The disk that holds {db} is full"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_a_log_on_a_full_disk_says_so_once_without_a_traceback(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    level = logging.getLogger().level
    path = setup_logging(disk / "logs")
    try:
        assert path is not None
        fill(disk)
        for n in range(3):
            logging.getLogger("linkie_desktop.test").info("line %d %s", n, "x" * 8192)
    finally:
        stop_logging()
        logging.getLogger().setLevel(level)
    err = capsys.readouterr().err
    assert err.count("cannot write the log file") == 1, err
    assert "Traceback" not in err and "Logging error" not in err, err
