"""Bring a database to the schema this version needs, safely: check, back up, then upgrade.

The checks run on a read-only connection first, so a file we must refuse (not SQLite, or made by a
newer Linkie) is left exactly as it was, byte for byte.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from linkie_desktop.config import migrations_dir
from linkie_desktop.db.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)

# The newest migration in migrations/versions. Start-up compares the file's stamp with it and
# imports Alembic (a third of a second) only when there is something to upgrade; a test fails
# when a migration is added without moving this forward.
SCHEMA_REVISION = "0005_posts_due_index"
BACKUPS_KEPT = 5
_SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database the app cannot open or upgrade; the message is meant for the user."""


@dataclass(frozen=True)
class MigrationResult:
    revision: str
    previous: str | None
    backup: Path | None


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
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


def _ensure_folder(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(
            f"Linkie Desktop cannot write in {folder}. Choose another location with --db "
            "or LINKIE_DB, or give your user write permission there."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseError(f"Linkie Desktop cannot read and write {path}: check its permissions.")
    if not path.exists():
        try:  # access() can say yes where the file system still says no (read-only mounts, root)
            path.touch()
        except OSError as exc:
            raise DatabaseError(
                f"Linkie Desktop cannot create its database at {path} ({exc.strerror or exc}). "
                "Choose another location with --db or LINKIE_DB."
            ) from None


def _inspect_file(path: Path) -> tuple[str | None, bool]:
    """(stamped revision, holds data) of an existing file, read without changing it."""
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise DatabaseError(
            f"{path} is not a Linkie database (not an SQLite file). It was left as it is."
        )
    if not header:
        return None, False  # an empty file is a fresh database
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"Cannot open {path}: {exc}.") from None
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        holds_data = bool(tables - {"alembic_version"})
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path} is damaged or not a Linkie database ({exc}). It was left as it is."
        ) from None
    finally:
        conn.close()
    return revision, holds_data


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def backup(path: Path, now: datetime | None = None) -> Path:
    """Copy the database beside itself (consistent even in WAL mode) and keep the newest few."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{stamp}")
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    old = sorted(path.parent.glob(f"{path.name}.backup-*"), reverse=True)
    for stale in old[BACKUPS_KEPT:]:
        stale.unlink(missing_ok=True)
    log.info("backed up %s to %s before migrating", path, target)
    return target


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


def prepare_database(url: str) -> tuple[Engine, MigrationResult]:
    """Open the database at `url`, upgraded to this version's schema, backing it up first."""
    head = SCHEMA_REVISION
    path = sqlite_path(url)
    previous: str | None = None
    holds_data = False
    if path is not None:
        _ensure_folder(path)
        if path.exists():
            previous, holds_data = _inspect_file(path)
            if previous not in (None, head) and previous not in _known_revisions():
                raise DatabaseError(
                    f"{path} was made by a newer version of Linkie Desktop (schema {previous}). "
                    "Update Linkie Desktop to open it; the file was left as it is."
                )
    saved = backup(path) if path is not None and holds_data and previous != head else None
    engine = make_engine(url)
    try:
        if previous != head:
            upgrade(engine)
    except Exception as exc:
        engine.dispose()
        kept = f" Your data is safe in {saved}." if saved else ""
        raise DatabaseError(f"Could not upgrade the database {path or url}: {exc}.{kept}") from exc
    return engine, MigrationResult(revision=head, previous=previous, backup=saved)
