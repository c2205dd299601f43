"""Real disks that fill up or refuse writing, and the helpers the file-safety tests share.

A small tmpfs is a real file system with a real size limit, so SQLite meets a true ENOSPC and
chooses its own error code, as it would on a user's full home disk. Mounting needs root (CI and
the development machines run tests as root); elsewhere these tests are skipped with that reason.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def another_apps_database(path: Path, *, wal: bool = False) -> Path:
    """An SQLite file some other program made: its own tables and data, nothing of Linkie's."""
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE ingredients (recipe_id INTEGER, item TEXT)")
    conn.execute("INSERT INTO recipes (name) VALUES ('bread')")
    conn.commit()
    conn.close()  # the last connection: the WAL (if any) is folded in and removed
    return path


@contextlib.contextmanager
def small_disk(folder: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of `size_kib` KiB mounted at `folder`, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs (a real full disk) needs root, as CI has")
    folder.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder)],
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Write a filler file until the disk says it is full."""
    with (folder / "filler").open("wb", buffering=0) as handle:  # unbuffered: close can't fail
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc


def make_read_only(folder: Path) -> None:
    """The disk under `folder` (a small_disk) stops accepting writes, as a read-only mount."""
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
