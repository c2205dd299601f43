"""Fixtures for the Drafts tab: a workspace on the real test database and a shown tab."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.posts import PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import settle
from tests.ui.workspace_support import make_workspace


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


@pytest.fixture
def service(workspace: Workspace) -> PostService:
    return PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)


@pytest.fixture
def signals() -> AppSignals:
    return AppSignals()


@pytest.fixture
def make_tab(
    qtbot: QtBot, workspace: Workspace, signals: AppSignals
) -> Iterator[Callable[[], DraftsTab]]:
    """Build the tab after the test has put its posts in the database."""
    tabs: list[DraftsTab] = []

    def build() -> DraftsTab:
        tab = DraftsTab(workspace, signals)
        qtbot.addWidget(tab)
        tab.resize(1200, 700)
        tab.show()
        # Focus-change autosave needs an active window; offscreen activates on request.
        tab.activateWindow()
        qtbot.waitUntil(tab.isActiveWindow)
        settle(qtbot, tab)  # the first page of the list and the connection have been read
        tabs.append(tab)
        return tab

    yield build
    for tab in tabs:
        tab.shutdown()
