"""The database, its backups, the logs and the media are the user's alone: files 0600, folders
0700 (as ssh and gpg keep theirs), new ones so from the start and old ones tightened at start-up.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkie_desktop import config
from linkie_desktop.db.migrate import backup
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace, open_workspace
from tests.disk_support import another_apps_database, mode
from tests.fakes.image_files import write_png


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """Start as a usual desktop session does (022) and give the test run its umask back, since
    opening a workspace sets the process's umask for good."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _config(data: Path, db: Path | None = None) -> config.Config:
    return config.load(db=str(db) if db else None, env={"LINKIE_DATA_DIR": str(data)})


def _write_a_post(workspace: Workspace) -> str:
    return (
        PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)
        .add("private words")
        .id
    )


def test_new_files_and_folders_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    workspace = open_workspace(_config(data))
    try:
        post_id = _write_a_post(workspace)
        db = data / "linkie.db"
        service = PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)
        service.attach_image(post_id, write_png(tmp_path / "photo.png"))
        copy = backup(db)
        assert mode(data) == 0o700
        assert mode(db) == 0o600
        assert mode(db.with_name("linkie.db-wal")) == 0o600  # open: the WAL is there
        assert mode(db.with_name("linkie.db-shm")) == 0o600
        assert mode(copy) == 0o600
        media = workspace.config.media_dir
        assert mode(media) == 0o700
        assert {mode(image) for image in media.iterdir()} == {0o600}
    finally:
        workspace.close()


def test_files_left_open_to_others_are_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    workspace = open_workspace(_config(data))
    _write_a_post(workspace)
    workspace.close()
    db = data / "linkie.db"
    copy = backup(db)
    logs = data / "logs"
    logs.mkdir()
    (logs / "linkie-desktop.log").write_text("older lines\n")
    (data / "window-state.ini").write_text("[window]\n")
    (data / "media").mkdir()
    # Another program keeps the database open, so its -wal and -shm are there at start.
    other = sqlite3.connect(db)
    try:
        other.execute("UPDATE posts SET title = 'x'")
        other.commit()
        files = [db, db.with_name("linkie.db-wal"), db.with_name("linkie.db-shm"), copy]
        files += [logs / "linkie-desktop.log", data / "window-state.ini"]
        for path in files:
            path.chmod(0o644)
        for folder in (data, logs, data / "media"):
            folder.chmod(0o755)

        open_workspace(_config(data)).close()

        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
        folders = (data, logs, data / "media")
        assert {f.name: mode(f) for f in folders} == {f.name: 0o700 for f in folders}
    finally:
        other.close()


def test_a_database_elsewhere_is_tightened_but_not_the_folder_around_it(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    db = documents / "posts.db"
    open_workspace(_config(tmp_path / "data", db)).close()
    db.chmod(0o644)
    open_workspace(_config(tmp_path / "data", db)).close()
    assert mode(db) == 0o600
    assert mode(documents) == 0o755  # the user's own folder keeps the mode they gave it


def test_another_apps_file_keeps_its_mode(tmp_path: Path) -> None:
    db = another_apps_database(tmp_path / "recipes.db")
    db.chmod(0o644)
    with pytest.raises(Exception, match="not a Linkie database"):
        open_workspace(_config(tmp_path / "data", db))
    assert mode(db) == 0o644
