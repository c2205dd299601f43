"""Set-up leaves compiled bytecode for every module the app starts with.

A user's environment may forbid writing `__pycache__` at import (PYTHONDONTWRITEBYTECODE, a
read-only install): without bytecode written at set-up, every start would compile the sources again
(~1.5 s here), so the first launch would be as slow as every launch. scripts/setup.sh compiles the
venv (`uv sync --compile-bytecode`) and our own sources (compileall); this checks the result the way
the interpreter does, by the source's mtime and size in each .pyc header.
"""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import alembic
import PySide6
import sqlalchemy

import linkie_desktop

ROOT = Path(__file__).resolve().parents[2]


def _stale_or_missing(folder: Path) -> list[str]:
    bad: list[str] = []
    for source in sorted(folder.rglob("*.py")):
        if not source.stem.isidentifier():
            continue  # a template such as `__init__.tmpl.py`: never imported
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists():
            bad.append(f"{source}: no bytecode")
            continue
        header = cached.read_bytes()[:16]
        flags, mtime, size = struct.unpack("<III", header[4:16])
        stat = source.stat()
        # flags 0: validated by mtime and size, the kind compileall writes by default.
        if flags == 0 and (mtime != int(stat.st_mtime) & 0xFFFFFFFF or size != stat.st_size):
            bad.append(f"{source}: bytecode older than the source")
    return bad


def test_our_sources_and_migrations_are_compiled() -> None:
    folders = [Path(linkie_desktop.__file__).parent, ROOT / "migrations"]
    bad = [line for folder in folders for line in _stale_or_missing(folder)]
    assert bad == [], "run scripts/setup.sh:\n" + "\n".join(bad[:20])


def test_the_heavy_dependencies_are_compiled() -> None:
    folders = [Path(module.__file__ or "").parent for module in (sqlalchemy, alembic, PySide6)]
    bad = [line for folder in folders for line in _stale_or_missing(folder)]
    assert bad == [], "run scripts/setup.sh:\n" + "\n".join(bad[:20])
