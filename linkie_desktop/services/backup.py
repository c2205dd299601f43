"""Backups of the user's posts (no Qt): Back up now, the daily backup, and the list of backups.

A backup is a folder beside the database, `linkie.db.backup-YYYYmmdd-HHMMSS/`, holding

- `linkie.db`: the database copied with SQLite's online backup API (so it is consistent while the
  window or another program writes, WAL frames included), checked with integrity_check and each
  table's row count before it counts (db/migrate.py `copy_database`);
- `media/`: every file the database refers to (attachments, link thumbnails, Studio images),
  hard links where the disk allows (the app never rewrites a media file, so a link costs no
  space and keeps the bytes when the original is deleted), copies otherwise;
- `manifest.json`, written last: when, which schema, the row counts, and each media file with
  its size and where the database expects it.

It is written under a temporary name and renamed once whole, so a kill or a full disk never
leaves something that counts; the newest N are kept (Settings › Backups, default 7). The backups
taken before a migration are the database file alone, beside it as before (db/migrate.py); both
kinds are listed and restorable, one family of names with one rule for what is complete.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from linkie_desktop.db.errors import DatabaseError
from linkie_desktop.db.migrate import (
    BACKUP_DATABASE,
    BACKUP_MANIFEST,
    BACKUP_MEDIA,
    BACKUPS_KEPT,
    backup_database_file,
    backup_stamp,
    complete_backups,
    copy_database,
    new_backup_names,
    prune_backups,
    read_manifest,
    remove_partial,
)
from linkie_desktop.db.queries import stored_media_paths
from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.private_files import FOLDER_MODE

log = logging.getLogger(__name__)

MANIFEST_FORMAT = 1
DAILY = timedelta(days=1)


class BackupError(DatabaseError):
    """A backup that could not be made, in plain words (the database is left as it is)."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup as the lists show it."""

    path: Path
    created_at: datetime
    posts: int | None  # posts outside the trash; None when the copy cannot be read
    with_media: bool  # a folder backup; False: the database alone (taken before a migration)

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "created_at": self.created_at.isoformat(),
            "posts": self.posts,
        }


@dataclass(frozen=True)
class MediaEntry:
    """A file the database refers to: as stored there, its name in the backup, its size."""

    stored: str
    name: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"stored": self.stored, "name": self.name, "size": self.size}


# Why a shared database is not backed up by Linkie: its server's own tools see every person's
# rows and the whole history, which a copy made by one window could not.
SHARED_DATABASE_BACKUP = (
    "This is a shared database on a PostgreSQL server: it is backed up on the server (pg_dump, "
    "or the server's own backups), not by Linkie. To keep your own posts in open formats, "
    "export them ({how})."
)


def _referenced_files(database: Path) -> list[str]:
    """Every media path stored in the backup's copy of the database (all people's rows, the
    trash's too), read from the copy itself: the files of the very snapshot the backup holds."""
    uri = f"{database.as_uri()}?mode=ro"
    copy = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with Session(copy) as session:
            return stored_media_paths(session)
    finally:
        copy.dispose()


def _place(source: Path, target: Path, link: bool) -> None:
    if link:
        try:
            os.link(source, target)
            return
        except OSError:
            pass  # another disk, or a file system without hard links: a copy then
    shutil.copyfile(source, target)


def _gather_media(database: Path, media_dir: Path, folder: Path) -> list[MediaEntry]:
    """Put the files `database` refers to into `folder`; each checked for its size."""
    folder.mkdir(mode=FOLDER_MODE)
    entries: list[MediaEntry] = []
    seen: set[Path] = set()
    inside = media_dir.resolve()
    for stored in _referenced_files(database):
        source = media_dir / stored  # an absolute stored path stays as it is
        try:
            resolved = source.resolve()
            size = source.stat().st_size
        except OSError:
            continue  # referred to but gone already: nothing to keep
        if resolved in seen or not source.is_file():
            continue
        seen.add(resolved)
        ours = resolved.parent == inside
        name = resolved.name if ours else f"external-{len(entries)}-{resolved.name}"
        _place(source, folder / name, link=ours)
        if (folder / name).stat().st_size != size:
            raise BackupError(f"The copy of {source.name} in the backup is not whole.")
        entries.append(MediaEntry(stored, name, size))
    return entries


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    path = folder / BACKUP_MANIFEST
    with path.open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())


def _schema_of(database: Path) -> str | None:
    conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def _out_names(out: Path) -> tuple[Path, Path]:
    if out.exists():
        raise ValidationError(f"{out} exists already: choose a new name for the backup.")
    if not out.parent.is_dir():
        raise ValidationError(f"There is no folder {out.parent} to put the backup in.")
    partial = out.with_name(f".{out.name}.partial")
    remove_partial(partial)
    return out, partial


def create_backup(
    db_path: Path,
    media_dir: Path,
    *,
    out: Path | None = None,
    keep: int = BACKUPS_KEPT,
    now: datetime | None = None,
) -> Path:
    """Back up now: the database and its media, checked, as a folder beside the database (the
    newest `keep` kept) or at `out` (a new folder anywhere; not counted among those kept)."""
    when = now or utc_now()
    target, partial = _out_names(out) if out is not None else new_backup_names(db_path, when)
    try:
        partial.mkdir(mode=FOLDER_MODE)
        database = partial / BACKUP_DATABASE
        counts = copy_database(db_path, database)
        entries = _gather_media(database, media_dir, partial / BACKUP_MEDIA)
        _write_manifest(
            partial,
            {
                "format": MANIFEST_FORMAT,
                "created_at": when.astimezone(UTC).isoformat(),
                "schema": _schema_of(database),
                "posts": _live_posts(database),
                "rows": counts,
                "files": [e.as_json() for e in entries],
            },
        )
        partial.replace(target)
    except BaseException as exc:
        remove_partial(partial)
        if isinstance(exc, OSError):
            raise BackupError(
                f"The backup could not be written ({exc.strerror or exc}); nothing was changed."
            ) from exc
        raise
    if out is None:
        prune_backups(db_path, keep)
    log.info("backed up %s with %d media files to %s", db_path, len(entries), target)
    return target


def _live_posts(database: Path) -> int | None:
    """Posts outside the trash in a database file (any of our schemas), read without changing
    it; None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"{database.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(posts)")}
        where = " WHERE deleted_at IS NULL" if "deleted_at" in columns else ""
        return int(conn.execute(f"SELECT count(*) FROM posts{where}").fetchone()[0])  # noqa: S608 - fixed text
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def backup_info(db_path: Path | None, backup: Path) -> BackupInfo:
    """What a backup holds; `db_path` names the database it is beside (its stamp is the date)."""
    manifest = read_manifest(backup) if backup.is_dir() else None
    created = backup_stamp(db_path, backup) if db_path is not None else None
    if manifest is not None:
        with contextlib.suppress(KeyError, ValueError):
            created = datetime.fromisoformat(str(manifest["created_at"]))
    if created is None:
        created = datetime.fromtimestamp(backup.stat().st_mtime, UTC)
    posts = manifest.get("posts") if manifest is not None else None
    if not isinstance(posts, int):
        posts = _live_posts(backup_database_file(backup))
    return BackupInfo(backup, created, posts, with_media=backup.is_dir())


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The complete backups beside the database, newest first."""
    return [backup_info(db_path, b) for b in complete_backups(db_path)]


def backup_if_due(
    db_path: Path,
    media_dir: Path,
    keep: int = BACKUPS_KEPT,
    now: datetime | None = None,
    every: timedelta = DAILY,
) -> Path | None:
    """The daily backup: one when the newest complete backup is `every` old or older (or there
    is none). A database with nothing in it yet is not backed up."""
    when = now or utc_now()
    backups = complete_backups(db_path)
    newest = backup_stamp(db_path, backups[0]) if backups else None
    if newest is not None and when - newest < every:
        return None
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    return create_backup(db_path, media_dir, keep=keep, now=when)
