"""Back up now and Restore on real files: a backup is whole while another connection writes (WAL
frames not yet in the main file), a killed backup never counts, only the newest N stay, the daily
one comes once a day, and a restore brings back posts and media, keeps today's database as a
backup first, migrates an older backup and refuses a newer one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from linkie_desktop import config
from linkie_desktop.db.engine import make_engine, reading, transaction
from linkie_desktop.db.errors import NewerVersionError
from linkie_desktop.db.migrate import SCHEMA_REVISION, newest_backup, read_manifest, upgrade
from linkie_desktop.db.models import Generation, Post, PostMedia, User
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.backup import backup_if_due, create_backup, list_backups
from linkie_desktop.services.posts import Attachments, PostService
from linkie_desktop.services.restore import restore_backup
from linkie_desktop.services.workspace import Workspace, open_workspace
from tests.fakes.image_files import write_png

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _workspace(folder: Path) -> Workspace:
    return open_workspace(
        config.load(db=str(folder / "linkie.db"), env={"LINKIE_DATA_DIR": str(folder)})
    )


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = _workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _db(ws: Workspace) -> Path:
    return ws.config.data_dir / "linkie.db"


def _posts(ws: Workspace) -> PostService:
    return PostService(ws.engine, ws.user_id, ws.config.media_dir)


def _count(database: Path, table: str = "posts") -> int:
    conn = sqlite3.connect(f"{database.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_a_backup_holds_every_committed_post_still_in_another_connections_wal(
    ws: Workspace, tmp_path: Path
) -> None:
    picture = write_png(tmp_path / "photo.png")
    with_image = _posts(ws).add("with a photo", attachments=Attachments(images=[(picture, "a")]))
    db = _db(ws)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("PRAGMA wal_autocheckpoint=0")  # committed rows stay in the WAL only
        for n in range(30):
            other.execute(
                "INSERT INTO posts (id, user_id, content, status, retry_count, created_at, "
                "updated_at, visibility, evergreen) VALUES (?, ?, 'in the WAL', 'draft', 0, 0, 0, "
                "'PUBLIC', 0)",
                (f"wal-{n}", ws.user_id),
            )
        other.execute("BEGIN IMMEDIATE")  # and a write still open, which must not be copied
        other.execute("DELETE FROM posts")
        assert (db.parent / "linkie.db-wal").stat().st_size > 0

        backup = create_backup(db, ws.config.media_dir, now=T0)
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert backup == db.parent / "linkie.db.backup-20261120-080000"
    assert _count(backup / "linkie.db") == 31
    assert not (backup / "linkie.db-wal").exists()  # the copy stands alone
    name = _posts(ws).get(with_image.id).post_content.media[0].path
    assert (backup / "media" / name).read_bytes() == picture.read_bytes()
    (info,) = list_backups(db)
    assert (info.path, info.created_at, info.posts, info.with_media) == (backup, T0, 31, True)
    conn = sqlite3.connect(backup / "linkie.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_a_backup_takes_every_file_any_row_names(ws: Workspace, tmp_path: Path) -> None:
    """Attachments, link thumbnails, posts.image_path (an older row's full path, kept outside
    the media folder) and the Studio's images, of every person and of the trash's posts."""
    media = ws.config.media_dir
    media.mkdir(parents=True, exist_ok=True)
    outside = write_png(tmp_path / "old-image.png")
    names = ["thumb.png", "studio.png", "bobs-attachment.png"]
    for name in names:
        write_png(media / name)
    with transaction(ws.engine) as session:
        bob = User(name="Bob", email="bob@example.com")
        session.add(bob)
        session.flush()
        mine = Post(user_id=ws.user_id, content="x", link_thumbnail_path="thumb.png", deleted_at=T0)
        theirs = Post(user_id=bob.id, content="y", image_path=str(outside))
        session.add_all([mine, theirs])
        session.flush()
        session.add(
            PostMedia(post_id=theirs.id, user_id=bob.id, position=0, kind="image", path=names[2])
        )
        session.add(
            Generation(
                user_id=ws.user_id,
                idea="i",
                text_variations_json="[]",
                images_json='["studio.png"]',
            )
        )

    backup = create_backup(_db(ws), media, now=T0)

    manifest = read_manifest(backup)
    assert manifest is not None
    files = manifest["files"]
    assert sorted(f["stored"] for f in files) == sorted([*names, str(outside)])
    for entry in files:
        source = media / entry["stored"]
        assert (backup / "media" / entry["name"]).read_bytes() == source.read_bytes()


# A real process killed (SIGKILL) in the middle of its backup: the database is copied, and it
# hangs while putting the media in (the test's stand-in for a slow disk), where it is killed.
_KILLED_CHILD = """
import sys, time
from pathlib import Path
from linkie_desktop.services import backup

def slow_disk(*_args, **_kwargs):
    Path(sys.argv[3]).touch()
    time.sleep(600)

backup._gather_media = slow_disk
backup.create_backup(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_backup_killed_mid_copy_never_counts_and_is_removed_next_time(
    ws: Workspace, tmp_path: Path
) -> None:
    _posts(ws).add("a post")
    db = _db(ws)
    started = tmp_path / "started"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(db), str(ws.config.media_dir), str(started)]
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the child never reached its media copy"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        assert child.wait(timeout=30) == -signal.SIGKILL
    left = [p.name for p in db.parent.iterdir() if "backup" in p.name]
    assert left and all("partial" in name for name in left)
    assert (db.parent / left[0] / "linkie.db").exists()  # the database copy was whole already
    assert list_backups(db) == [] and newest_backup(db) is None

    made = create_backup(db, ws.config.media_dir, now=T0)

    assert [p.name for p in db.parent.iterdir() if "backup" in p.name] == [made.name]


def test_only_the_newest_n_backups_are_kept_and_a_broken_one_takes_no_place(
    ws: Workspace,
) -> None:
    db = _db(ws)
    media = ws.config.media_dir
    broken = db.parent / "linkie.db.backup-20261130-000000"
    broken.mkdir()  # a folder with a backup's name and no manifest: never a backup
    (broken / "linkie.db").write_bytes(b"half")
    for day in range(5):
        create_backup(db, media, keep=3, now=T0 + timedelta(days=day))

    names = [b.path.name for b in list_backups(db)]
    assert names == [f"linkie.db.backup-202611{24 - n}-080000" for n in range(3)]
    assert not broken.exists()


def test_the_daily_backup_comes_once_a_day(ws: Workspace) -> None:
    db, media = _db(ws), ws.config.media_dir
    _posts(ws).add("a post")
    first = backup_if_due(db, media, now=T0)
    assert first is not None
    assert backup_if_due(db, media, now=T0 + timedelta(hours=23, minutes=59)) is None
    second = backup_if_due(db, media, now=T0 + timedelta(days=1))
    assert second is not None and second != first
    assert [b.path for b in list_backups(db)] == [second, first]


def test_back_up_now_to_a_folder_of_ones_choice(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "my-posts"
    out.parent.mkdir()
    made = create_backup(_db(ws), ws.config.media_dir, out=out)
    assert made == out and (out / "manifest.json").is_file()
    assert list_backups(_db(ws)) == []  # elsewhere: not among the ones kept beside the database
    with pytest.raises(ValidationError, match="exists already"):
        create_backup(_db(ws), ws.config.media_dir, out=out)


def test_restore_round_trip_brings_back_posts_and_media_and_keeps_the_current_database(
    ws: Workspace, tmp_path: Path
) -> None:
    picture = write_png(tmp_path / "photo.png", 60, 40)
    service = _posts(ws)
    kept = service.add("kept with its photo", attachments=Attachments(images=[(picture, "alt")]))
    name = service.get(kept.id).post_content.media[0].path
    backup = create_backup(_db(ws), ws.config.media_dir, now=T0)
    service.add("written after the backup")
    service.delete(kept.id)
    service.empty_trash()
    assert not (ws.config.media_dir / name).exists()

    result = restore_backup(
        _db(ws), ws.config.media_dir, backup, user_id=ws.user_id, now=T0 + timedelta(hours=1)
    )

    # The window's engine sees the restored posts without being reopened.
    with reading(ws.engine) as session:
        assert [p.id for p in session.query(Post).all()] == [kept.id]
    assert service.get(kept.id).post_content.media[0].alt_text == "alt"
    assert (ws.config.media_dir / name).read_bytes() == picture.read_bytes()
    assert (result.posts, result.media_restored, result.same_profile) == (1, 1, True)
    assert result.kept_current is not None
    assert _count(result.kept_current / "linkie.db") == 1  # "written after the backup"
    with reading(ws.engine) as session:
        (journal,) = session.connection().exec_driver_sql("PRAGMA journal_mode").one()
    assert journal == "wal"


def test_a_backup_from_a_newer_linkie_is_refused_and_nothing_changes(
    ws: Workspace,
) -> None:
    _posts(ws).add("today's post")
    backup = create_backup(_db(ws), ws.config.media_dir, now=T0)
    conn = sqlite3.connect(backup / "linkie.db")
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _db(ws).read_bytes()

    with pytest.raises(NewerVersionError, match="newer version of Linkie"):
        restore_backup(_db(ws), ws.config.media_dir, backup)

    assert _db(ws).read_bytes() == before
    assert [b.path for b in list_backups(_db(ws))] == [backup]  # no "current" backup either


def test_a_backup_from_an_older_schema_is_migrated_on_restore(
    ws: Workspace, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    try:
        upgrade(engine, "0007_post_upload_claim")
    finally:
        engine.dispose()
    conn = sqlite3.connect(old)
    with conn:
        conn.execute(
            "INSERT INTO users (id, name, email, created_at) VALUES (?, 'Alex', 'a@b.c', 0)",
            (ws.user_id,),
        )
        conn.execute(
            "INSERT INTO posts (id, user_id, content, status, retry_count, created_at, "
            "updated_at) VALUES ('old-1', ?, 'from an older Linkie', 'draft', 0, 0, 0)",
            (ws.user_id,),
        )
    conn.close()

    result = restore_backup(_db(ws), ws.config.media_dir, old, user_id=ws.user_id)

    assert result.migrated_from == "0007_post_upload_claim"
    assert _posts(ws).get("old-1").content == "from an older Linkie"
    with reading(ws.engine) as session:
        (revision,) = (
            session.connection().exec_driver_sql("SELECT version_num FROM alembic_version").one()
        )
    assert revision == SCHEMA_REVISION


def test_a_half_written_backup_is_refused(ws: Workspace) -> None:
    backup = create_backup(_db(ws), ws.config.media_dir, now=T0)
    (backup / "manifest.json").unlink()
    with pytest.raises(ValidationError, match="not a complete Linkie backup"):
        restore_backup(_db(ws), ws.config.media_dir, backup)
