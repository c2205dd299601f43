"""Open the user's database the same way for the window and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from linkie_desktop.config import Config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.migrate import MigrationResult, prepare_database


@dataclass(frozen=True)
class Workspace:
    config: Config
    engine: Engine
    user_id: str
    migration: MigrationResult

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(config: Config) -> Workspace:
    """Migrate (after a backup) and make sure the single local user exists."""
    engine, migration = prepare_database(config.database_url)
    with transaction(engine) as session:
        user_id = queries.get_or_create_local_user(session).id
    return Workspace(config=config, engine=engine, user_id=user_id, migration=migration)
