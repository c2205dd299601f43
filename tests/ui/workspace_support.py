"""A real Workspace over the test database, with its data folder (media, window state) in tmp."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine

from linkie_desktop import config
from linkie_desktop.db import engine as engine_module
from linkie_desktop.db.engine import make_engine
from linkie_desktop.db.migrate import MigrationResult
from linkie_desktop.services.workspace import Workspace, open_workspace


@contextmanager
def opened_workspace(folder: Path, db_name: str = "linkie.db") -> Iterator[Workspace]:
    """A fresh database file in `folder` (its data folder too), opened by the app's own path
    (migrations, the local user); closed afterwards."""
    cfg = config.load(db=str(folder / db_name), env={"LINKIE_DATA_DIR": str(folder)})
    space = open_workspace(cfg)
    try:
        yield space
    finally:
        space.close()


def make_workspace(engine: Engine, user_id: str, data_dir: Path) -> Workspace:
    cfg = config.load(db=str(engine.url), env={"LINKIE_DATA_DIR": str(data_dir)})
    migration = MigrationResult(revision="head", previous=None, backup=None)
    return Workspace(config=cfg, engine=engine, user_id=user_id, migration=migration)


def impatient_engine(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """An engine on the same file with a 50 ms busy timeout, so a held lock fails fast."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    return make_engine(f"sqlite:///{db_path}")


@contextmanager
def database_locked(db_path: Path) -> Iterator[None]:
    """Another process holds the write lock (as a long CLI run or a stuck tool would)."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
