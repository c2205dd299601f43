"""The user's posts, logs and backups are theirs alone: files 0600 and folders 0700, as ssh keeps
its keys. New files get it from the process umask; files left by older versions are tightened.

Standard library only, so start-up can call it before anything heavy is imported. On Windows
the modes mean little (the profile folder is already private) and nothing is changed.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_GROUP_AND_OTHERS = 0o077
_ENABLED = os.name == "posix"


def keep_new_files_private() -> None:
    """Everything this process creates from now on (SQLite's -wal and -shm, logs, window state,
    media) is readable by the user only."""
    if _ENABLED:
        os.umask(_GROUP_AND_OTHERS)


def tighten(path: Path) -> None:
    """Take group's and others' access off `path` if it exists; the owner's bits stay as they
    are. A path that cannot be changed (another owner, a read-only disk) is logged, not fatal."""
    if not _ENABLED:
        return
    try:
        mode = path.lstat().st_mode
    except OSError:
        return  # missing: nothing to protect
    if stat.S_ISLNK(mode) or not mode & _GROUP_AND_OTHERS:
        return  # a link's own mode means nothing; its target is tightened where it is ours
    try:
        path.chmod(stat.S_IMODE(mode) & ~_GROUP_AND_OTHERS)
    except OSError as exc:
        log.warning("cannot make %s private (%s)", path, exc.strerror or exc)


def private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) for the user alone, or tighten it if it exists."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    tighten(folder)


def protect_app_folders(folders: Iterable[Path]) -> None:
    """Private umask for this process, and the app's own folders and what lies directly in them
    (database, backups, logs, window state, the media folder) tightened.

    Only folders that belong to the app: a database given with --db in the user's Documents
    folder gets its own files tightened (see db/migrate.py), never the folder around it.
    """
    keep_new_files_private()
    for folder in folders:
        if not folder.is_dir():
            continue
        tighten(folder)
        try:
            children = list(folder.iterdir())
        except OSError:
            continue
        for child in children:
            tighten(child)
