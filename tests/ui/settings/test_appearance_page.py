"""Settings › Appearance: System (the default), Light or Dark; OK stores it, Cancel forgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.theme import DARK, LIGHT, SYSTEM
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


def _dialog(qtbot: QtBot, workspace: Workspace) -> SettingsDialog:
    dialog = SettingsDialog(workspace, AppSignals(), store=SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)
    dialog.tabs.setCurrentWidget(dialog.appearance)
    return dialog


def test_the_system_is_followed_until_the_user_chooses(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = _dialog(qtbot, workspace)
    assert dialog.appearance.choices[SYSTEM].isChecked()
    assert dialog.tabs.tabText(dialog.tabs.indexOf(dialog.appearance)) == "Appea&rance"
    assert "light" in dialog.appearance.system_note.text()  # offscreen says no scheme: light
    dialog.appearance.choices[DARK].click()
    dialog.accept()
    assert load_preferences(workspace.config.data_dir).appearance == DARK

    again = _dialog(qtbot, workspace)
    assert again.appearance.choices[DARK].isChecked()
    again.appearance.choices[LIGHT].click()
    again.reject()
    assert load_preferences(workspace.config.data_dir).appearance == DARK
