"""The log names posts by id, never by their titles or words: it is the user's writing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import IntegrityError

from linkie_desktop import config
from linkie_desktop.db.engine import transaction
from linkie_desktop.logging_setup import setup_logging, stop_logging
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace, open_workspace
from linkie_desktop.ui.shell import AppShell

TITLE = "Our merger with Initech, embargoed until Friday"
WORDS = "The numbers nobody may see yet"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(config.load(env={"LINKIE_DATA_DIR": str(tmp_path / "data")}))
    yield ws
    ws.close()


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    level = logging.getLogger().level
    path = setup_logging(tmp_path / "logs")
    assert path is not None
    yield path
    stop_logging()
    logging.getLogger().setLevel(level)


def test_a_notification_about_a_post_is_logged_without_its_title(
    qtbot: QtBot, workspace: Workspace, log_file: Path
) -> None:
    shell = AppShell(workspace, publish=False)
    qtbot.addWidget(shell.window)
    try:
        # What the publisher driver sends when a post went out or failed.
        shell.notify(f"Published: {TITLE}", "It is on LinkedIn now.")
        shell.notify(f"Failed: {TITLE}", "LinkedIn refused it.")
    finally:
        shell.shutdown()
    stop_logging()
    text = log_file.read_text(encoding="utf-8")
    assert "notification: Published" in text and "notification: Failed" in text
    assert TITLE not in text


def test_a_database_error_names_the_sql_but_not_the_posts_words(
    workspace: Workspace, log_file: Path
) -> None:
    post_id = PostService(workspace.engine, workspace.user_id).add(WORDS, title=TITLE).id
    with pytest.raises(IntegrityError) as failed, transaction(workspace.engine) as session:
        # A second post with the same id: the kind of error a bug would log with its traceback.
        session.connection().exec_driver_sql(
            "INSERT INTO posts (id, user_id, title, content, status, retry_count, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, 'draft', 0, 0, 0)",
            (post_id, workspace.user_id, TITLE, WORDS),
        )
    logging.getLogger("linkie_desktop.test").error("a bug", exc_info=failed.value)
    stop_logging()
    text = log_file.read_text(encoding="utf-8")
    assert "INSERT INTO posts" in text
    assert TITLE not in text and WORDS not in text
