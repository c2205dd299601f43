"""The window-state file (geometry, last tab) is private like the rest of the data folder."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop import config
from linkie_desktop.services.workspace import open_workspace
from linkie_desktop.ui.main_window import WINDOW_STATE_FILE, MainWindow


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """A usual desktop session's umask (022); the run's own comes back afterwards, since opening
    a workspace sets the process's umask for good."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_closing_the_window_writes_its_state_for_the_user_only(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    workspace = open_workspace(config.load(env={"LINKIE_DATA_DIR": str(data)}))
    try:
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        window.show()
        window.close()  # the close path saves geometry and the tab
        state = data / WINDOW_STATE_FILE
        assert state.is_file()
        assert stat.S_IMODE(state.stat().st_mode) == 0o600
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
    finally:
        workspace.close()
