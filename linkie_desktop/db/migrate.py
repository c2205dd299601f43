"""Bring a database to the schema this version needs, safely: check, back up, then upgrade.

The checks run on a read-only connection first, so a file we must refuse (not SQLite, another
program's database, or made by a newer Linkie) is left exactly as it was, byte for byte. Every
failure the user can act on is one of the typed errors of db/errors.py.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from linkie_desktop.config import migrations_dir
from linkie_desktop.db.engine import make_engine
from linkie_desktop.db.errors import (
    ANOTHER_FILE,
    ANOTHER_LOCATION,
    CannotWriteError,
    DamagedDatabaseError,
    DiskFullError,
    NewerVersionError,
    NotLinkieDatabaseError,
    cannot_write,
    database_problem,
)
from linkie_desktop.db.errors import DatabaseError as DatabaseError  # callers' old import path
from linkie_desktop.private_files import tighten

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)

# The newest migration in migrations/versions. Start-up compares the file's stamp with it and
# imports Alembic (a third of a second) only when there is something to upgrade; a test fails
# when a migration is added without moving this forward.
SCHEMA_REVISION = "0012_change_notices"
BACKUPS_KEPT = 7  # the default of Settings › Backups
_SQLITE_HEADER = b"SQLite format 3\x00"
_HEADER_SIZE = 100
# A backup is written under this name, checked, then renamed: a kill or a full disk half-way
# leaves only a file with this name, which never counts as a backup and is removed next time.
_PARTIAL = ".partial-backup-"
_BACKUP = ".backup-"
_BACKUP_STAMP = re.compile(r"\d{8}-\d{6}")
_STAMP_FORMAT = "%Y%m%d-%H%M%S"
# A folder backup (services/backup.py): the database copy, the media it refers to, and the
# manifest, written last: a folder without it never counts.
BACKUP_DATABASE = "linkie.db"
BACKUP_MEDIA = "media"
BACKUP_MANIFEST = "manifest.json"
# SQLite's files beside a database (or a backup) while it is open or after a crash.
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class MigrationResult:
    revision: str
    previous: str | None
    backup: Path | None


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    # Alembic's default stdout is whatever sys.stdout was when alembic.config was imported;
    # the stream of now is the one that is still open.
    cfg = AlembicConfig(stdout=sys.stdout)
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    """The head as Alembic reads it from the scripts (SCHEMA_REVISION is the fast copy)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships its migrations
        raise DatabaseError("This copy of Linkie Desktop has no database migrations; reinstall it.")
    return head


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and non-SQLite databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _creation_refused(exc: OSError, path: Path, what: str) -> DatabaseError:
    known = database_problem(exc, path)
    if isinstance(known, DiskFullError):
        return known
    words = (
        f"{what} ({exc.strerror or exc}). Check that its folder can be there, as a folder your "
        "user may write in, then start Linkie Desktop again."
    )
    return CannotWriteError(words, f"{words} {ANOTHER_LOCATION}")


def _why_not_writable(folder: Path) -> str:
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: Windows has no statvfs
        read_only = False
    return "its disk is read-only" if read_only else "no permission to create files in it"


def _ensure_folder(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _creation_refused(exc, path, f"Cannot create the folder {folder}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise cannot_write(folder, _why_not_writable(folder))
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise cannot_write(path, "no permission to read and write this file")
    if not path.exists():
        try:  # access() can say yes where the file system still says no (read-only mounts, root)
            path.touch()
        except OSError as exc:
            what = f"Linkie Desktop cannot create its database at {path}"
            raise _creation_refused(exc, path, what) from None


def _linkie_tables() -> frozenset[str]:
    from linkie_desktop.db.models import Base

    return frozenset(Base.metadata.tables)


def _read_only_uri(path: Path) -> str:
    # With no -wal or -journal beside it, nothing is half-written: read the file as it is
    # (immutable), so not even a -shm is left behind when it turns out to be another app's.
    settled = not any(path.with_name(path.name + side).exists() for side in ("-wal", "-journal"))
    return f"{path.as_uri()}?mode=ro{'&immutable=1' if settled else ''}"


def _read_schema(uri: str) -> tuple[set[str], str | None]:
    """(table names, stamped revision) as a read-only connection to `uri` sees them."""
    conn = sqlite3.connect(uri, uri=True)
    try:
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        }
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    finally:
        conn.close()
    return tables, revision


def _inspect_file(path: Path) -> tuple[str | None, bool]:
    """(stamped revision, holds data) of an existing file, read without changing it.

    Refuses another program's file: not SQLite, or SQLite holding tables but none of Linkie's.
    """
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise NotLinkieDatabaseError(
            f"{path} is not a Linkie database (not an SQLite file). It was left as it is."
        )
    if not header:
        return None, False  # an empty file is a fresh database
    try:
        try:
            tables, revision = _read_schema(_read_only_uri(path))
        except sqlite3.Error:
            # An immutable read can meet a write another program made meanwhile: read again,
            # this time as an ordinary reader that sees only whole transactions.
            tables, revision = _read_schema(f"{path.as_uri()}?mode=ro")
    except sqlite3.Error as exc:
        raise database_problem(exc, path) or DatabaseError(
            f"Cannot open {path}: {exc}. It was left as it is."
        ) from None
    own = tables & _linkie_tables()
    foreign = tables - own - {"alembic_version"}
    if foreign and not own and not _stamped_by_linkie(revision, tables):
        words = (
            f"{path} is not a Linkie database: it holds another program's tables "
            f"({', '.join(sorted(foreign)[:3])}). It was left as it is; move or rename it, "
            "and Linkie Desktop makes a new database in its place."
        )
        raise NotLinkieDatabaseError(words, f"{words} {ANOTHER_FILE}")
    return revision, bool(tables - {"alembic_version"})


def _stamped_by_linkie(revision: str | None, tables: set[str]) -> bool:
    """A Linkie stamp on a file with none of Linkie's tables: downgraded to nothing (an empty
    stamp) or stamped with one of our revisions. Another Alembic app's stamp is not ours."""
    if "alembic_version" not in tables:
        return False
    return revision in (None, SCHEMA_REVISION) or revision in _known_revisions()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _remove_with_side_files(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)  # a folder backup (database and media)
        return
    for leftover in (path, *(path.with_name(path.name + side) for side in _SIDE_FILES)):
        leftover.unlink(missing_ok=True)


def _looks_complete(copy: Path) -> bool:
    """A whole SQLite file, as its header describes it, with no transaction left half-done.

    Cheap (a header and a size), so every start-up can tell a broken copy from a good one; a
    new backup is checked in full (integrity_check, row counts) before it gets its name.
    """
    if copy.with_name(copy.name + "-journal").exists():
        return False  # killed while writing: the journal would roll it back
    try:
        with copy.open("rb") as handle:
            header = handle.read(_HEADER_SIZE)
        size = copy.stat().st_size
    except OSError:
        return False
    if len(header) < _HEADER_SIZE or not header.startswith(_SQLITE_HEADER):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[92:96] == header[24:28]:  # the page count is valid for this version
        return size == pages * page_size
    return size > 0 and size % page_size == 0


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """A folder backup's manifest (services/backup.py writes it last), or None."""
    try:
        manifest = json.loads((folder / BACKUP_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def backup_database_file(backup: Path) -> Path:
    """The database file of a backup: the file itself, or the one inside a folder backup."""
    return backup / BACKUP_DATABASE if backup.is_dir() else backup


def backup_is_complete(backup: Path) -> bool:
    """A file backup (before a migration): a whole SQLite file. A folder backup: its manifest,
    a whole database and every media file the manifest lists, at its size."""
    if not backup.is_dir():
        return _looks_complete(backup)
    manifest = read_manifest(backup)
    if manifest is None or not _looks_complete(backup / BACKUP_DATABASE):
        return False
    files = manifest.get("files")
    if not isinstance(files, list):
        return False
    for entry in files:
        try:
            if (backup / BACKUP_MEDIA / str(entry["name"])).stat().st_size != int(entry["size"]):
                return False
        except (OSError, KeyError, TypeError, ValueError):
            return False
    return True


def _backup_files(path: Path) -> tuple[list[Path], list[Path]]:
    """(complete backups newest first, everything else that is left of a backup)."""
    complete: list[Path] = []
    broken: list[Path] = []
    prefix = path.name + _BACKUP
    for candidate in sorted(path.parent.glob(f"{glob.escape(path.name)}{_BACKUP}*"), reverse=True):
        stamp = candidate.name[len(prefix) :]
        owner = path.parent / f"{prefix}{stamp.rsplit('-', 1)[0]}"
        if stamp.endswith(_SIDE_FILES) and owner.exists():
            continue  # a backup's own -journal: judged (and removed) with its backup
        if _BACKUP_STAMP.fullmatch(stamp) and backup_is_complete(candidate):
            complete.append(candidate)
        else:
            broken.append(candidate)
    broken.extend(path.parent.glob(f"{glob.escape(path.name)}{_PARTIAL}*"))
    return complete, broken


def complete_backups(path: Path) -> list[Path]:
    """The complete backups beside the database at `path`, newest first (broken ones never
    count: a half copy, a folder without its manifest or with a file missing)."""
    return _backup_files(path)[0]


def newest_backup(path: Path) -> Path | None:
    """The newest complete backup of the database at `path`, if there is one."""
    complete = complete_backups(path)
    return complete[0] if complete else None


def backup_stamp(path: Path, backup: Path) -> datetime | None:
    """When a backup beside `path` was taken, read from its name (UTC)."""
    stamp = backup.name.removeprefix(path.name + _BACKUP)
    if not _BACKUP_STAMP.fullmatch(stamp):
        return None
    return datetime.strptime(stamp, _STAMP_FORMAT).replace(tzinfo=UTC)


def new_backup_names(path: Path, now: datetime | None = None) -> tuple[Path, Path]:
    """(name, partial name) for a backup of `path` taken at `now`: one second later while the
    name is taken (two backups in one second), and the leftovers of killed runs removed."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    while True:
        stamp = when.strftime(_STAMP_FORMAT)
        target = path.with_name(f"{path.name}{_BACKUP}{stamp}")
        if not target.exists():
            break
        when += timedelta(seconds=1)
    _complete, broken = _backup_files(path)
    for leftover in broken:
        _remove_with_side_files(leftover)
    return target, path.with_name(f"{path.name}{_PARTIAL}{stamp}")


def prune_backups(path: Path, keep: int = BACKUPS_KEPT) -> None:
    """Keep the newest `keep` complete backups (at least one) and remove the rest."""
    for stale in complete_backups(path)[max(1, keep) :]:
        _remove_with_side_files(stale)


def remove_partial(partial: Path) -> None:
    _remove_with_side_files(partial)


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = {name: name.replace('"', '""') for name in tables}
    return {
        name: int(conn.execute(f'SELECT count(*) FROM "{quoted[name]}"').fetchone()[0])  # noqa: S608 - names from sqlite_master
        for name in tables
    }


def copy_database(path: Path, dest: Path) -> dict[str, int]:
    """A consistent copy of the database at `path` written to `dest` (a new file), checked
    before it is handed back: PRAGMA integrity_check, and every table's row count equal to the
    source's in the very snapshot copied. Returns those counts.

    SQLite's online backup API copies one snapshot, with what other connections have committed
    to the WAL but not yet checkpointed into the main file; the counts are read in the same read
    transaction, so a write committed meanwhile can't make them disagree.
    """
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        source.execute("BEGIN")
        counts = _row_counts(source)  # the first read fixes the snapshot the backup copies
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # the copy stands alone, no -wal beside it
            verdict = [row[0] for row in target.execute("PRAGMA integrity_check")]
            copied = _row_counts(target) if verdict == ["ok"] else {}
        finally:
            target.close()
        source.execute("ROLLBACK")
    finally:
        source.close()
    if verdict != ["ok"]:
        raise DamagedDatabaseError(
            f"The backup of {path} did not check out ({verdict[0]}). "
            "The database may be damaged; it was left as it is."
        )
    if copied != counts:
        differ = sorted(t for t in counts.keys() | copied.keys() if counts.get(t) != copied.get(t))
        raise DamagedDatabaseError(
            f"The backup of {path} did not check out (the rows of {', '.join(differ)} differ "
            "from the database's). The database was left as it is."
        )
    return counts


def _backup_failed(exc: BaseException, path: Path) -> None:
    if isinstance(exc, sqlite3.Error | OSError):
        known = database_problem(exc, path)
        if known is not None:
            raise known from exc


def backup(path: Path, now: datetime | None = None, keep: int = BACKUPS_KEPT) -> Path:
    """Copy the database beside itself (before a migration: the file alone, the migration
    touches no media), checked before it counts, and keep the newest `keep`.

    Written under a temporary name and renamed once checked, so a kill or a full disk never
    leaves a half copy that looks like a backup; what such runs left is removed here.
    """
    target, partial = new_backup_names(path, now)
    try:
        copy_database(path, partial)
        partial.replace(target)
    except BaseException as exc:
        _remove_with_side_files(partial)
        _backup_failed(exc, path)
        raise
    prune_backups(path, keep)
    log.info("backed up %s to %s before migrating", path, target)
    return target


def restorable_revision(database: Path) -> str | None:
    """The schema of a database a backup holds, read without changing it; refused (typed errors
    of db/errors.py) when it is not a Linkie database or was made by a newer Linkie, whose
    schema this version cannot read. None: the file holds no schema stamp (an empty database)."""
    revision, _holds_data = _inspect_file(database)
    if revision not in (None, SCHEMA_REVISION) and revision not in _known_revisions():
        raise NewerVersionError(
            f"{database} was made by a newer version of Linkie Desktop (schema {revision}). "
            "Update Linkie Desktop to restore it; nothing was changed."
        )
    return revision


def _tighten_database_files(path: Path) -> None:
    """A Linkie database and its backups are private (see private_files.py)."""
    for side in ("", *_SIDE_FILES):
        tighten(path.with_name(path.name + side))
    for copy in path.parent.glob(f"{glob.escape(path.name)}{_BACKUP}*"):
        tighten(copy)


# Any fixed number: every Linkie that migrates a shared database takes this lock first.
_MIGRATION_LOCK = 0x4C696E6B  # "Link"


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two machines starting a new version at once on one shared database: the second
            # waits here, then finds the schema at head and has nothing left to do.
            from sqlalchemy import text

            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def _plain(exc: BaseException) -> str:
    """The driver's own words for an error, on one line (SQLAlchemy adds the SQL and a link)."""
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def prepare_database(url: str, keep: int = BACKUPS_KEPT) -> tuple[Engine, MigrationResult]:
    """Open the database at `url`, upgraded to this version's schema, backing it up first."""
    head = SCHEMA_REVISION
    path = sqlite_path(url)
    previous: str | None = None
    holds_data = False
    if path is not None:
        _ensure_folder(path)
        previous, holds_data = _inspect_file(path)
        if previous not in (None, head) and previous not in _known_revisions():
            raise NewerVersionError(
                f"{path} was made by a newer version of Linkie Desktop (schema {previous}). "
                "Update Linkie Desktop to open it; the file was left as it is."
            )
        _tighten_database_files(path)
    saved = (
        backup(path, keep=keep) if path is not None and holds_data and previous != head else None
    )
    engine = make_engine(url)
    try:
        if path is None:
            previous = _server_revision(engine, url)
        if previous != head:
            upgrade(engine)
    except Exception as exc:
        engine.dispose()
        kept = f" Your data is safe in {saved}." if saved else ""
        known = database_problem(exc, path)
        if known is not None:
            raise type(known)(f"{known}{kept}", f"{known.command_line}{kept}") from exc
        where = path or shown_url(url)
        raise DatabaseError(
            f"Could not upgrade the database {where}: {_plain(exc)}.{kept}"
        ) from exc
    return engine, MigrationResult(revision=head, previous=previous, backup=saved)


def shown_url(url: str) -> str:
    """A database URL as messages and logs may show it: never with its password."""
    return unquote(make_url(url).render_as_string(hide_password=True))


def _server_revision(engine: Engine, url: str) -> str | None:
    """The schema stamp of a database on a server (PostgreSQL), read before anything changes;
    refused like a file: made by a newer Linkie, or holding another program's tables."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    except OperationalError as exc:
        raise DatabaseError(
            f"Cannot reach the database {shown_url(url)}: {_plain(exc)}. Check that the server "
            "is running and that this address, user and database are right."
        ) from None
    own = tables & _linkie_tables()
    foreign = tables - own - {"alembic_version"}
    if foreign and not own and not _stamped_by_linkie(revision, tables):
        raise NotLinkieDatabaseError(
            f"{shown_url(url)} is not a Linkie database: it holds another program's tables "
            f"({', '.join(sorted(foreign)[:3])}). Nothing was changed."
        )
    if revision not in (None, SCHEMA_REVISION) and revision not in _known_revisions():
        raise NewerVersionError(
            f"{shown_url(url)} was made by a newer version of Linkie Desktop (schema {revision})."
            " Update Linkie Desktop to open it; nothing was changed."
        )
    return revision
