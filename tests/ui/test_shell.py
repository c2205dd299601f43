"""The assembled app: every tab is the real one, and the parts talk to each other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLabel
from pytestqt.qtbot import QtBot

from linkie_desktop import config
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace, open_workspace
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.calendar.tab import CalendarTab
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.settings.dialog import SettingsDialog
from linkie_desktop.ui.shell import AppShell
from linkie_desktop.ui.studio.tab import StudioTab


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    cfg = config.load(db=str(tmp_path / "shell.db"), env={"LINKIE_DATA_DIR": str(tmp_path)})
    ws = open_workspace(cfg)
    yield ws
    ws.close()


@pytest.fixture
def shell(qtbot: QtBot, workspace: Workspace) -> Iterator[AppShell]:
    app_shell = AppShell(workspace, publish=False)
    qtbot.addWidget(app_shell.window)
    app_shell.start()
    yield app_shell
    app_shell.shutdown()


def test_every_tab_is_the_real_one_with_no_placeholder_left(shell: AppShell) -> None:
    kinds = {
        "dashboard": DashboardTab,
        "drafts": DraftsTab,
        "calendar": CalendarTab,
        "studio": StudioTab,
        "analytics": AnalyticsTab,
    }
    for key, kind in kinds.items():
        assert isinstance(shell.window.page(key), kind), key
    assert not [
        label.objectName()
        for label in shell.window.findChildren(QLabel)
        if label.objectName().endswith("Placeholder")
    ]


def test_notifications_reach_the_status_bar_without_a_tray(shell: AppShell) -> None:
    assert not shell.tray.available  # offscreen has no system tray
    shell.signals.notify.emit("Published: Hello", "It is on LinkedIn now.")
    assert "Published: Hello" in shell.window.statusBar().currentMessage()


def test_the_failed_card_opens_drafts_filtered_to_failed(shell: AppShell) -> None:
    dashboard = shell.window.page("dashboard")
    assert isinstance(dashboard, DashboardTab)
    dashboard.show_failed_requested.emit()
    drafts = shell.window.page("drafts")
    assert shell.window.tabs.currentWidget() is drafts
    assert drafts is not None
    status_filter = drafts.findChild(QComboBox, "statusFilter")
    assert status_filter is not None and status_filter.currentText() == "Failed"


def test_settings_opens_once_from_the_menu_and_the_dashboard(shell: AppShell) -> None:
    shell.window.settings_requested.emit()
    first = shell.settings_dialog
    assert isinstance(first, SettingsDialog) and first.isVisible()
    dashboard = shell.window.page("dashboard")
    assert isinstance(dashboard, DashboardTab)
    dashboard.connect_requested.emit()
    assert shell.settings_dialog is first  # raised, not opened twice
    first.reject()
    assert shell.settings_dialog is None


def test_publish_now_of_a_post_that_cannot_be_sent_says_why_and_changes_nothing(
    shell: AppShell, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = PostService(workspace.engine, workspace.user_id).add("   x   ")
    PostService(workspace.engine, workspace.user_id).delete(post.id)
    shown: list[str] = []
    monkeypatch.setattr(
        "linkie_desktop.ui.shell.QMessageBox.information",
        lambda _parent, _title, text: shown.append(text),
    )
    shell.window.publish_now_requested.emit(post.id)
    assert shown and "no post" in shown[0].lower()
    assert not shell.publisher.is_running
