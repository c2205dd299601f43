"""Settings › Notifications: every outcome (the default), only what needs the user, or none, and
whether Publish now asks first; OK stores them, Cancel forgets (issue 15)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.notifications import NotificationLevel
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.theme import Theme
from tests.fakes.keyrings import MemoryKeyring
from tests.ui.workspace_support import make_workspace

SHOTS = Path(os.environ.get("LINKIE_SHOTS", "/tmp/linkie-shots"))


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


def _dialog(qtbot: QtBot, workspace: Workspace) -> SettingsDialog:
    dialog = SettingsDialog(workspace, AppSignals(), store=SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.linkedin.tasks.pending == 0, timeout=10_000)
    dialog.tabs.setCurrentWidget(dialog.notifications)
    return dialog


def test_every_outcome_is_told_until_the_user_chooses_less(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    dialog = _dialog(qtbot, workspace)
    page = dialog.notifications
    assert page.choices[NotificationLevel.ALL].isChecked()
    assert page.confirm_publish.isChecked()
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "Noti&fications"
    page.choices[NotificationLevel.FAILURES].click()
    page.confirm_publish.click()
    dialog.accept()
    stored = load_preferences(workspace.config.data_dir)
    assert (stored.notifications, stored.confirm_publish_now) == ("failures", False)

    again = _dialog(qtbot, workspace)
    assert again.notifications.choices[NotificationLevel.FAILURES].isChecked()
    assert not again.notifications.confirm_publish.isChecked()
    again.notifications.choices[NotificationLevel.NONE].click()
    again.reject()
    assert load_preferences(workspace.config.data_dir).notifications == "failures"


def test_every_choice_is_named_for_screen_readers(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    page = _dialog(qtbot, workspace).notifications
    names = [button.accessibleName() for button in page.choices.values()]
    assert all(names) and len(set(names)) == len(names)
    assert page.confirm_publish.accessibleName() == "Ask before Publish now"


@pytest.fixture(params=["light", "dark"])
def look(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = Theme(app, str(request.param))
    yield str(request.param)
    theme.release()


def test_the_page_renders_in_light_and_dark(
    qtbot: QtBot, workspace: Workspace, memory_keyring: MemoryKeyring, look: str
) -> None:
    dialog = _dialog(qtbot, workspace)
    dialog.resize(760, 560)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = dialog.grab()
    assert shot.save(str(SHOTS / f"settings-notifications-{look}.png"))
    assert not shot.isNull() and shot.width() >= 700
