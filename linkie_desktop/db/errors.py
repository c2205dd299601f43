"""The known ways a database file fails, each with its own plain message, apart from bugs.

A full disk is never "damaged": that word would invite the user to delete a healthy file. SQLite
reports a full disk as SQLITE_FULL when it runs out while writing pages, but as a plain I/O error
when it cannot grow its shared-memory file (-shm); free space on the folder tells the two apart.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

# Below this much free space an I/O error is taken as a full disk: SQLite needs at least a page
# and its shared-memory file (32 KiB) to open a database in WAL mode.
NEARLY_FULL_BYTES = 1 << 20

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_CANNOT_WRITE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


class DatabaseError(Exception):
    """A database the app cannot open or use; the message is meant for the user.

    `str()` says what to do in words that hold wherever it is shown — the window's dialogs and
    message bars show it as it is, so it never names an option or an environment variable.
    `command_line` is the command line's version, which may name them (`--db`, `LINKIE_DB`).
    """

    def __init__(self, message: str, command_line: str | None = None) -> None:
        super().__init__(message)
        self.command_line = command_line or message


class NotLinkieDatabaseError(DatabaseError):
    """Another program's file: not SQLite, or SQLite without Linkie's tables."""


class NewerVersionError(DatabaseError):
    """Made by a newer Linkie Desktop; this one does not know its schema."""


class DamagedDatabaseError(DatabaseError):
    """SQLite found a damaged page or header."""


class DiskFullError(DatabaseError):
    """No space left where the database (or its backup) is written."""


class CannotWriteError(DatabaseError):
    """The location or the file refuses writing (permissions, a read-only disk)."""


class DiskReadError(DatabaseError):
    """The disk reported an I/O error that is not a full disk."""


class ServerUnreachableError(DatabaseError):
    """A shared database's server cannot be reached (down, restarting, the network gone)."""


SERVER_UNREACHABLE = (
    "Linkie cannot reach the shared database right now ({reason}). Nothing was changed; "
    "check the network or ask whoever runs the database server, then try again."
)


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc`, the driver errors SQLAlchemy wraps in `.orig`, and what caused them."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in found):
        found.append(current)
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException):
            found.append(orig)
        current = current.__cause__
    return found


def _server_problem(exc: BaseException) -> DatabaseError | None:
    """A PostgreSQL server that went away mid-work: the one failure of a shared database the
    user can act on (everything else there is a bug of ours)."""
    for cause in _causes(exc):
        # psycopg's own class, matched by name: importing psycopg here would load it for every
        # SQLite user at the first error.
        kinds = {kind.__module__ + "." + kind.__qualname__ for kind in type(cause).__mro__}
        if "psycopg.OperationalError" in kinds:
            first = str(cause).strip().splitlines()
            reason = first[0] if first else "no answer"
            return ServerUnreachableError(SERVER_UNREACHABLE.format(reason=reason))
    return None


class DatabaseBusyError(DatabaseError):
    """Another program kept the database locked past the busy timeout."""


def nearly_full(folder: Path) -> bool:
    try:
        usage = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: Windows has no statvfs
        return False
    return usage.f_bavail * usage.f_frsize < NEARLY_FULL_BYTES


def disk_full(path: Path) -> DiskFullError:
    return DiskFullError(
        f"The disk that holds {path} is full, so Linkie Desktop cannot use its database. "
        "Free some space on it and start again; the database itself is not damaged."
    )


# How the command line's words for a location end, after the words both share.
ANOTHER_LOCATION = "Or choose another location with --db or LINKIE_DB."
ANOTHER_FILE = "Or choose another file with --db or LINKIE_DB."


def cannot_write(path: Path, reason: str) -> CannotWriteError:
    words = (
        f"Linkie Desktop cannot write {path} ({reason}). Give your user permission to write "
        "that file and its folder, then try again."
    )
    return CannotWriteError(words, f"{words} {ANOTHER_LOCATION}")


def _sqlite_problem(error: sqlite3.Error, path: Path) -> DatabaseError | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    reason = str(error)
    if primary == sqlite3.SQLITE_FULL or (
        primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and nearly_full(path.parent)
    ):
        return disk_full(path)
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DamagedDatabaseError(
            f"The database {path} is damaged ({reason}). It was left as it is; to go on, "
            f"put its newest backup ({path.name}.backup-…, beside it) in its place."
        )
    if primary == sqlite3.SQLITE_IOERR:
        return DiskReadError(
            f"The disk reported an error while reading or writing {path} ({reason}). The file "
            "was left as it is; check the disk, then start Linkie Desktop again."
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return cannot_write(path, reason)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        # The CLI's words for a lock since before this module (scripts may match them).
        return DatabaseBusyError(f"the database is busy or cannot be written: {reason}")
    return None


def _os_problem(error: OSError, path: Path) -> DatabaseError | None:
    if error.errno in _FULL_ERRNOS:
        return disk_full(path)
    if error.errno in _CANNOT_WRITE_ERRNOS:
        return cannot_write(path, error.strerror or str(error))
    return None


def database_problem(exc: BaseException, path: Path | None) -> DatabaseError | None:
    """The known problem behind `exc` (raised by sqlite3, SQLAlchemy or the OS while using the
    database at `path`), or None when it is a bug. Dependency-free: SQLAlchemy's wrappers are
    recognised by the driver error they carry in `.orig`."""
    if isinstance(exc, DatabaseError):
        return exc
    if path is None:
        return _server_problem(exc)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        orig = getattr(current, "orig", None)
        for candidate in (current, orig):
            if isinstance(candidate, sqlite3.Error):
                found = _sqlite_problem(candidate, path)
                if found is not None:
                    return found
            elif isinstance(candidate, OSError):
                found = _os_problem(candidate, path)
                if found is not None:
                    return found
        current = current.__cause__
    return None
