"""Open the user's database the same way for the window and the command line."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from linkie_desktop.config import Config
from linkie_desktop.db import queries
from linkie_desktop.db.engine import checkpoint, transaction
from linkie_desktop.db.errors import database_problem
from linkie_desktop.db.migrate import MigrationResult, prepare_database, sqlite_path
from linkie_desktop.private_files import protect_app_folders
from linkie_desktop.services.people import PersonChoiceError, choose_person
from linkie_desktop.services.preferences import load_preferences

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Workspace:
    config: Config
    engine: Engine
    user_id: str
    migration: MigrationResult

    def close(self) -> None:
        """Checkpoint the WAL, then close every connection: the main file alone is complete."""
        try:
            if not checkpoint(self.engine):
                log.info("part of the WAL stays until a later close (see the line above)")
        finally:
            self.engine.dispose()


def open_workspace(
    config: Config, user_email: str | None = None, *, acting: bool = True
) -> Workspace:
    """Migrate (after a backup) and find the person this process acts as.

    `user_email` is `--user EMAIL`; without it, the database's only person, else the one
    Settings › Profile chose on this machine (services/people.py). Who can't be told raises
    PersonChoiceError and changes nothing. `acting=False` is for commands that act on nobody's
    posts (migrate, backup, serve, publish-due, users): they run on a shared database whoever
    is chosen, with the database's first person as the workspace's user ("" while there is
    none: they create no one).

    Everything the process writes from here on is private to the user, and the app's folders
    left by older versions are tightened (private_files.py). Known database problems come out
    as the typed errors of db/errors.py, whichever step meets them.
    """
    protect_app_folders((config.data_dir, config.log_dir))
    # The backup before a migration keeps as many as Settings › Backups says (the file is read
    # here: the database layer knows nothing of preferences).
    preferences = load_preferences(config.data_dir)
    engine, migration = prepare_database(config.database_url, keep=preferences.backups_kept)
    try:
        with transaction(engine) as session:
            if acting or user_email is not None:
                remembered = preferences.acting_user_email or None
                user_id = choose_person(session, user_email, remembered).id
            else:
                # Nobody is created for them: on a new database, `linkie users add` then makes
                # its first person, not a second one beside a placeholder.
                first = queries.get_local_user(session)
                user_id = first.id if first is not None else ""
    except PersonChoiceError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        known = database_problem(exc, sqlite_path(config.database_url))
        if known is None:
            raise
        raise known from exc
    return Workspace(config=config, engine=engine, user_id=user_id, migration=migration)
