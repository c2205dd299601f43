"""The assembled app: every tab is the real one, and the parts talk to each other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel
from pytestqt.qtbot import QtBot

from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.calendar.tab import CalendarTab
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.import_ahead import ImportAhead
from linkie_desktop.ui.settings.dialog import SettingsDialog
from linkie_desktop.ui.shell import AppShell
from linkie_desktop.ui.studio.tab import StudioTab
from linkie_desktop.ui.tray import Tray
from tests.connection_support import mark_connected
from tests.ui.workspace_support import opened_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path, "shell.db") as ws:
        yield ws


@pytest.fixture
def shell(qtbot: QtBot, workspace: Workspace) -> Iterator[AppShell]:
    app_shell = AppShell(workspace, publish=False)
    qtbot.addWidget(app_shell.window)
    app_shell.start()
    _settle(qtbot, app_shell)
    yield app_shell
    app_shell.shutdown()


def _settle(qtbot: QtBot, shell: AppShell) -> None:
    """What the window asked of its database worker has been answered."""
    qtbot.waitUntil(lambda: shell.tasks.pending == 0, timeout=10_000)


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
    qtbot.waitUntil(lambda: bool(shown))
    assert "no post" in shown[0].lower()
    assert not shell.publisher.is_running


def test_the_status_bar_says_posts_go_out_only_while_linkie_runs(shell: AppShell) -> None:
    note = shell.window.statusBar().findChild(QLabel, "statusRunsWhileOpen")
    assert note is not None and "while Linkie runs" in note.text()
    assert "Start at login" in note.toolTip()


def test_the_tray_menu_publishes_due_posts_and_opens_the_window(
    shell: AppShell, qtbot: QtBot
) -> None:
    menu = shell.tray.menu
    names = [action.objectName() for action in menu.actions()]
    assert names == ["trayOpen", "trayPublishDue", "trayQuit"]
    with qtbot.wait_signal(shell.publisher.pass_finished, timeout=10_000):
        menu.actions()[1].trigger()
    shell.window.hide()
    menu.actions()[0].trigger()
    assert shell.window.isVisible()


def test_an_expiring_connection_is_announced_once_per_day_left(
    shell: AppShell, workspace: Workspace, qtbot: QtBot
) -> None:
    heard: list[tuple[str, str]] = []
    shell.signals.notify.connect(lambda title, text: heard.append((title, text)))
    mark_connected(workspace.engine, workspace.user_id, expires_in=timedelta(days=3, hours=1))
    shell.signals.connection_changed.emit()
    _settle(qtbot, shell)
    shell.signals.connection_changed.emit()
    _settle(qtbot, shell)
    assert len(heard) == 1
    title, text = heard[0]
    assert title == "Reconnect LinkedIn soon" and "expires in 3 days" in text
    mark_connected(workspace.engine, workspace.user_id, expires_in=timedelta(days=30))
    shell.signals.connection_changed.emit()
    _settle(qtbot, shell)
    assert len(heard) == 1


class _PretendTray(Tray):
    """Offscreen has no tray host; this one says it is there and records what it would show."""

    def __init__(self, icon: QIcon) -> None:
        super().__init__(icon)
        self.shown: list[str] = []

    @property
    def available(self) -> bool:
        return True

    def notify(self, title: str, message: str) -> bool:
        self.shown.append(title)
        return True


@pytest.fixture
def tray_shell(qtbot: QtBot, workspace: Workspace) -> Iterator[AppShell]:
    """The app as on a desktop with a tray (offscreen has none: a stand-in says it is there)."""
    app_shell = AppShell(workspace, publish=False, tray=_PretendTray(QIcon()))
    qtbot.addWidget(app_shell.window)
    app_shell.start()
    yield app_shell
    app_shell.shutdown()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(True)


def test_with_a_tray_closing_the_window_hides_it_and_says_so_once(tray_shell: AppShell) -> None:
    assert isinstance(tray_shell.tray, _PretendTray)
    shown = tray_shell.tray.shown
    tray_shell.window.close()
    assert tray_shell.window.isHidden()  # hidden, not closed: the publisher keeps running
    assert shown == ["Linkie is still running"]
    tray_shell.tray.show_requested.emit()
    assert tray_shell.window.isVisible()
    tray_shell.window.close()
    assert tray_shell.window.isHidden()
    assert shown == ["Linkie is still running"]  # said once, not at every close


def test_a_newcomer_is_welcomed_and_led_to_connect_and_write(
    shell: AppShell, workspace: Workspace, qtbot: QtBot
) -> None:
    dashboard = shell.window.page("dashboard")
    assert isinstance(dashboard, DashboardTab)
    welcome = dashboard.welcome
    assert welcome.isVisibleTo(dashboard)
    assert welcome.connect_button.isEnabled() and welcome.write_button.isEnabled()

    welcome.connect_button.click()  # the same path as the LinkedIn card: Settings opens
    assert shell.settings_dialog is not None
    shell.settings_dialog.reject()

    welcome.write_button.click()  # "Write a post" opens a new, empty draft in Drafts
    drafts = shell.window.drafts
    assert drafts is not None and shell.window.tabs.currentWidget() is drafts
    assert drafts.composer.post_id is None and drafts.composer.body_edit.toPlainText() == ""
    drafts.composer.body_edit.setPlainText("My first post")
    drafts.save_now()
    _settle(qtbot, shell)
    assert [p.content for p in PostService(workspace.engine, workspace.user_id).list()] == [
        "My first post"
    ]

    mark_connected(workspace.engine, workspace.user_id)
    dashboard.refresh()
    _settle(qtbot, shell)
    assert not welcome.isVisibleTo(dashboard)  # both steps done: the welcome steps aside


def test_drafts_shortcuts_do_not_act_from_another_tab(
    shell: AppShell, workspace: Workspace, qtbot: QtBot
) -> None:
    service = PostService(workspace.engine, workspace.user_id)
    post = service.create_draft("", "Only one of me")
    drafts = shell.window.drafts
    assert drafts is not None
    shell.window.show_tab("drafts")
    drafts.open_post(post.id)
    qtbot.waitUntil(lambda: drafts.composer.post_id == post.id)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow)

    shell.window.show_tab("calendar")
    calendar = shell.window.page("calendar")
    assert calendar is not None
    calendar.setFocus()
    QTest.keyClick(calendar, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(service.list()) == 1  # Ctrl+D in the Calendar duplicated nothing

    shell.window.show_tab("drafts")
    drafts.posts.view.setFocus()
    QTest.keyClick(drafts.posts.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(service.list()) == 2)  # in Drafts it does


def test_file_quit_quits_even_when_closing_would_hide_in_the_tray(
    tray_shell: AppShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    quits: list[bool] = []
    # The real quit would end this test process's event loop for every later test.
    monkeypatch.setattr(QApplication, "quit", lambda *_args: quits.append(True))
    tray_shell.window.quit_action.trigger()
    assert quits == [True]
    assert not tray_shell.window.isVisible()


def test_the_window_fits_a_small_laptop_screen_with_the_calendar_shown(
    shell: AppShell, workspace: Workspace, qtbot: QtBot
) -> None:
    from linkie_desktop.services.seed import seed

    seed(workspace.engine)
    shell.signals.announce_posts([])
    shell.window.show_tab("calendar")
    # 1366x768 or 1280x720 (1080p at 150 %), less the title bar and the desktop's panel.
    assert shell.window.minimumSizeHint().height() <= 640
    assert shell.window.minimumSizeHint().width() <= 1100
    shell.window.resize(1100, 640)
    qtbot.waitUntil(lambda: shell.window.size().height() == 640)


def test_the_window_and_its_tabs_share_the_shells_one_preferences_object(
    shell: AppShell,
) -> None:
    # One object: a change saved in Settings reaches every tab without re-reading the file.
    assert shell.window.preferences is shell.preferences
    drafts = shell.window.drafts
    assert drafts is not None and drafts.preferences is shell.preferences


def test_once_the_first_data_is_shown_the_other_tabs_modules_are_imported_ahead(
    qtbot: QtBot, workspace: Workspace
) -> None:
    app_shell = AppShell(workspace, publish=False)
    qtbot.addWidget(app_shell.window)

    def made() -> ImportAhead | None:
        return app_shell.import_ahead

    assert made() is None  # nothing is imported ahead during start-up
    app_shell.start()
    qtbot.waitUntil(lambda: made() is not None, timeout=10_000)
    ahead = made()
    assert ahead is not None
    built = set(app_shell.window.built_pages())
    assert built == {"dashboard"}  # a new user's first tab; no other tab was built
    assert ahead.waiting == [
        "linkie_desktop.ui.drafts.tab",
        "linkie_desktop.ui.drafts.composer",  # built once the Drafts list is on screen
        "linkie_desktop.ui.drafts.preview",  # and the preview once the composer is
        "linkie_desktop.ui.calendar.tab",
        "linkie_desktop.ui.studio.tab",
        "linkie_desktop.ui.analytics.tab",
        "linkie_desktop.ui.activity.tab",
    ]
    # The modules are imported (here, long before, by this test run); the tabs are not built.
    qtbot.waitUntil(lambda: not ahead.waiting, timeout=10_000)
    assert set(app_shell.window.built_pages()) == built
    app_shell.shutdown()
