"""A real Workspace over the test database, with its data folder (media, window state) in tmp."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from linkie_desktop import config
from linkie_desktop.db.migrate import MigrationResult
from linkie_desktop.services.workspace import Workspace


def make_workspace(engine: Engine, user_id: str, data_dir: Path) -> Workspace:
    cfg = config.load(db=str(engine.url), env={"LINKIE_DATA_DIR": str(data_dir)})
    migration = MigrationResult(revision="head", previous=None, backup=None)
    return Workspace(config=cfg, engine=engine, user_id=user_id, migration=migration)
