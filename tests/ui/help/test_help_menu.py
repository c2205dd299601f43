"""Help › Open log folder, Copy diagnostics (never a secret) and About."""

from __future__ import annotations

import platform
from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop import __version__
from linkie_desktop.services.secrets import SecretName, SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.main_window import MainWindow
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace

STORED_SECRET = "sk-ant-must-never-be-copied-4242"


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


@pytest.fixture
def opened() -> list[QUrl]:
    """Addresses the window asked the desktop to open (a file manager cannot run here)."""
    return []


@pytest.fixture
def window(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, opened: list[QUrl]
) -> Iterator[MainWindow]:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    main = MainWindow(workspace, window_state=state, open_url=open_url)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.tasks.pending == 0, timeout=10_000)
    yield main


def test_open_log_folder_shows_the_log_folder(
    window: MainWindow, workspace: Workspace, opened: list[QUrl]
) -> None:
    window.log_folder_action.trigger()
    assert [Path(url.toLocalFile()) for url in opened] == [workspace.config.log_dir]
    assert workspace.config.log_dir.is_dir()


def test_copied_diagnostics_say_versions_and_paths_and_never_a_secret(
    window: MainWindow, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    SecretStore().set(SecretName.ANTHROPIC_API_KEY, STORED_SECRET)
    SecretStore().set(SecretName.LINKEDIN_CLIENT_SECRET, STORED_SECRET + "-linkedin")

    window.diagnostics_action.trigger()

    copied = QGuiApplication.clipboard().text()
    assert __version__ in copied
    assert platform.python_version() in copied
    assert PySide6.__version__ in copied
    assert str(workspace.config.data_dir) in copied
    assert str(workspace.config.log_dir) in copied
    assert workspace.config.database_url.removeprefix("sqlite:///") in copied
    assert "MemoryKeyring" in copied  # the backend's kind, asked for nothing else
    assert STORED_SECRET not in copied
    assert "must-never" not in copied
    assert "copied" in window.statusBar().currentMessage()


def test_about_says_the_version_the_licence_and_the_data_folder(
    window: MainWindow, workspace: Workspace
) -> None:
    window.about_action.trigger()
    box = window.about_box
    assert box is not None
    assert __version__ in box.text()
    assert "Licence: Proprietary" in box.informativeText()
    assert str(workspace.config.data_dir) in box.informativeText()
    box.close()
