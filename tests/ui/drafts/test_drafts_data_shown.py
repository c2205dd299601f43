"""Drafts says when its list's first page is on screen: `linkie-desktop --smoke` waits for it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.main_window import MainWindow, TabSpec

WAIT_MS = 10_000


def test_data_shown_comes_once_the_first_page_is_in_the_list(
    qtbot: QtBot, workspace: Workspace, service: PostService, signals: AppSignals
) -> None:
    for number in range(3):
        service.create_draft(f"Post {number}", "Some words")
    rows_when_shown: list[int] = []
    tab = DraftsTab(workspace, signals)
    qtbot.addWidget(tab)
    tab.data_shown.connect(lambda: rows_when_shown.append(tab.posts.model.rowCount()))

    qtbot.waitUntil(lambda: bool(rows_when_shown), timeout=WAIT_MS)

    assert rows_when_shown == [3]
    tab.tasks.wait_idle()


def test_the_window_waits_for_drafts_when_drafts_is_the_first_tab(
    qtbot: QtBot, workspace: Workspace, service: PostService, tmp_path: Path
) -> None:
    service.create_draft("Shown at start", "Some words")
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    state.setValue("window/tab", "drafts")
    window = MainWindow(
        workspace, tabs=[TabSpec("drafts", "Drafts", DraftsTab)], window_state=state
    )
    qtbot.addWidget(window)
    drafts = window.drafts
    assert drafts is not None
    rows_when_shown: list[int] = []
    window.first_data_shown.connect(lambda: rows_when_shown.append(drafts.posts.model.rowCount()))

    qtbot.waitUntil(lambda: window.data_was_shown, timeout=WAIT_MS)

    assert rows_when_shown == [1]
    window.tasks.wait_idle()
