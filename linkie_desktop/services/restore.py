"""Restore from a backup (no Qt): the database and media of a backup take the place of today's.

In order, so that a failure at any step leaves the database as it was:
1. the backup is checked (complete, a Linkie database, not from a newer Linkie) and copied with
   the online backup API to a staging file beside the database, checked again (integrity and row
   counts); a backup from an older schema is migrated there, with the app's own migrations;
2. the media files it holds that the media folder lacks are put back (nothing there is deleted
   or overwritten: names are unique, and what the current posts use stays);
3. the current database is kept as a backup first (services/backup.py, with its media);
4. the staging copy is written into the live database file with the online backup API, in one
   transaction: every connection open on it (the window's engine, `linkie serve`) sees the
   restored posts at its next read, so nothing needs reopening. The window then disposes its
   engine's idle connections and reloads every tab (ui/data/restore_dialog.py).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linkie_desktop.db.engine import BUSY_TIMEOUT_MS, make_engine
from linkie_desktop.db.migrate import (
    BACKUP_MEDIA,
    BACKUPS_KEPT,
    SCHEMA_REVISION,
    backup_database_file,
    backup_is_complete,
    copy_database,
    read_manifest,
    remove_partial,
    restorable_revision,
    upgrade,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.backup import BackupError, create_backup

log = logging.getLogger(__name__)

_STAGING = ".restoring"


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_current: Path | None  # the backup of the database as it was just before
    migrated_from: str | None  # the backup's older schema, upgraded; None: it was current
    posts: int  # posts outside the trash, as restored
    media_restored: int  # files put back into the media folder
    same_profile: bool  # the window's user is in the restored database

    def summary(self) -> str:
        kept = ""
        if self.kept_current is not None:
            kept = f" The database as it was is kept in {self.kept_current}."
        migrated = " It was upgraded from an older Linkie." if self.migrated_from else ""
        files = f", {self.media_restored} media files put back" if self.media_restored else ""
        posts = f"{self.posts} post{'' if self.posts == 1 else 's'}"
        return f"Restored {posts}{files} from {self.restored_from.name}.{migrated}{kept}"


def _checked_source(backup: Path) -> Path:
    if not backup.exists():
        raise ValidationError(f"There is no backup at {backup}.")
    if not backup_is_complete(backup):
        raise ValidationError(
            f"{backup} is not a complete Linkie backup (half written, or a file is missing); "
            "nothing was changed."
        )
    return backup_database_file(backup)


def _page_size(path: Path) -> int:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def _stage(source: Path, staging: Path, live: Path) -> str | None:
    """The backup's database, checked, migrated to this version's schema, at `staging`."""
    revision = restorable_revision(source)
    copy_database(source, staging)
    migrated = None
    if revision != SCHEMA_REVISION:
        engine = make_engine(f"sqlite:///{staging}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        migrated = revision or "empty"
    conn = sqlite3.connect(staging, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        wanted = _page_size(live) if live.exists() and live.stat().st_size else None
        if wanted is not None and wanted != int(conn.execute("PRAGMA page_size").fetchone()[0]):
            # A database in WAL mode takes a copy only in its own page size.
            conn.execute(f"PRAGMA page_size={wanted}")
            conn.execute("VACUUM")
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"The copy of {source} did not check out; nothing was changed.")
    finally:
        conn.close()
    return migrated


def _put_back_media(backup: Path, media_dir: Path) -> int:
    """Files of a folder backup that the media folder (or their own place) lacks; the number."""
    manifest = read_manifest(backup) if backup.is_dir() else None
    if manifest is None:
        return 0  # a backup taken before a migration holds the database alone
    restored = 0
    for entry in manifest.get("files", []):
        stored, name = str(entry["stored"]), str(entry["name"])
        target = media_dir / stored  # an absolute stored path is its own place
        if target.exists() or (Path(stored).is_absolute() and not target.parent.is_dir()):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(backup / BACKUP_MEDIA / name, partial)
        partial.replace(target)
        restored += 1
    return restored


def _write_into(staging: Path, live: Path) -> tuple[int, set[str]]:
    """The staging copy becomes the live database's content, in one transaction."""
    source = sqlite3.connect(staging)
    try:
        target = sqlite3.connect(live, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            target.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            source.backup(target)
            posts = int(
                target.execute("SELECT count(*) FROM posts WHERE deleted_at IS NULL").fetchone()[0]
            )
            users = {row[0] for row in target.execute("SELECT id FROM users")}
        finally:
            target.close()
    finally:
        source.close()
    return posts, users


def restore_backup(
    db_path: Path,
    media_dir: Path,
    backup: Path,
    *,
    user_id: str | None = None,
    keep: int = BACKUPS_KEPT,
    now: datetime | None = None,
) -> RestoreResult:
    """Replace the database at `db_path` (and add to `media_dir`) with what `backup` holds,
    keeping the database as it was as a backup first. Refused, with nothing changed: no such
    backup, a broken one, not a Linkie database, or one from a newer Linkie."""
    source = _checked_source(backup)
    staging = db_path.with_name(f"{db_path.name}{_STAGING}")
    remove_partial(staging)
    try:
        migrated = _stage(source, staging, db_path)
        media = _put_back_media(backup, media_dir)
        kept = None
        if db_path.exists() and db_path.stat().st_size:
            kept = create_backup(db_path, media_dir, keep=keep, now=now)
        posts, users = _write_into(staging, db_path)
    finally:
        remove_partial(staging)
    log.info("restored %s from %s (kept the old one in %s)", db_path, backup, kept)
    return RestoreResult(
        backup, kept, migrated, posts, media, same_profile=user_id is None or user_id in users
    )
