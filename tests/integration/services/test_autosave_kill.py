"""Killing the app right after a typing pause loses nothing: autosave already wrote the text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from linkie_desktop import config
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[3]
CHILD = "tests.integration.services.autosave_child"


def test_text_typed_before_a_pause_survives_sigkill(tmp_path: Path) -> None:
    db_path = tmp_path / "linkie.db"
    data_dir = tmp_path / "data"
    text = "Never lose a word, not even on kill -9."  # QTest types ASCII only
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.services.autosave_child",
            str(db_path),
            str(data_dir),
            text,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "READY", child.stderr.read() if child.stderr else ""
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    workspace = open_workspace(config.load(db=str(db_path), env={"LINKIE_DATA_DIR": str(data_dir)}))
    try:
        posts = PostService(workspace.engine, workspace.user_id).list()
    finally:
        workspace.close()
    assert [post.content for post in posts] == [text]
