"""Settings › Agents: the permission agents get (stored on OK, forgotten on Cancel) and the exact
command line, and client configuration, to paste into an MCP client."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.mcp_server.command import chosen_permission
from linkie_desktop.mcp_server.permissions import Permission
from linkie_desktop.services.preferences import Preferences, load_preferences, save_preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace

OK, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
VENV_LINKIE = str(Path(sys.executable).with_name("linkie"))


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(button: QRadioButton) -> None:
    # On its circle: a radio button answers clicks on its circle and words, not the whole row.
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


def open_dialog(qtbot: QtBot, workspace: Workspace) -> SettingsDialog:
    dialog = SettingsDialog(workspace, AppSignals(), store=SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)
    dialog.tabs.setCurrentWidget(dialog.agents)
    return dialog


def stored(workspace: Workspace) -> str:
    return load_preferences(workspace.config.data_dir).agent_permission


def test_the_permission_chosen_is_stored_on_ok_and_used_by_linkie_mcp(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, workspace)
    page = dialog.agents
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "&Agents"
    assert page.choices[Permission.DRAFT].isChecked()  # the most restrictive useful default

    choose(page.choices[Permission.SCHEDULE])
    assert stored(workspace) == "draft"  # nothing is written before OK
    click(dialog.buttons.button(OK))

    assert stored(workspace) == "schedule"
    data_dir = workspace.config.data_dir
    assert chosen_permission(data_dir, None) is Permission.SCHEDULE  # `linkie mcp` alone
    assert chosen_permission(data_dir, "read") is Permission.READ  # --allow overrides it


def test_cancel_forgets_the_choice(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, workspace)
    choose(dialog.agents.choices[Permission.PUBLISH])
    assert dialog.agents.chosen() is Permission.PUBLISH
    click(dialog.buttons.button(CANCEL))
    assert stored(workspace) == "draft"


def test_a_stored_level_this_version_does_not_know_reads_as_draft(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    save_preferences(workspace.config.data_dir, Preferences(agent_permission="everything"))
    dialog = open_dialog(qtbot, workspace)
    assert dialog.agents.chosen() is Permission.DRAFT
    assert chosen_permission(workspace.config.data_dir, None) is Permission.DRAFT


def test_the_command_line_and_configuration_name_this_linkie_and_database(
    qtbot: QtBot, workspace: Workspace, db_path: Path, memory_keyring: MemoryKeyring
) -> None:
    page = open_dialog(qtbot, workspace).agents
    expected = [VENV_LINKIE, "mcp", "--db", str(db_path)]

    assert page.command_edit.text() == " ".join(expected)
    click(page.copy_command)
    assert QGuiApplication.clipboard().text() == " ".join(expected)
    assert page.copied.text() == "Copied to the clipboard."

    click(page.copy_configuration)
    configuration = json.loads(QGuiApplication.clipboard().text())
    assert configuration == {
        "mcpServers": {"linkie": {"command": VENV_LINKIE, "args": expected[1:]}}
    }
