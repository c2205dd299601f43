"""The Dashboard's posts service follows Settings › Posting: a post made through it takes the
default visibility the window's preferences hold now, not PUBLIC."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.services.preferences import Preferences, PreferencesStore
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.preferences import AppPreferences
from tests.ui.workspace_support import make_workspace


def test_a_post_made_from_the_dashboard_takes_the_default_visibility_of_settings(
    qtbot: QtBot, engine: Engine, user_id: str, tmp_path: Path
) -> None:
    workspace = make_workspace(engine, user_id, tmp_path)
    signals = AppSignals()
    prefs = AppPreferences(PreferencesStore(workspace.config.data_dir), signals)
    tab = DashboardTab(workspace, signals, preferences=prefs)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.figures is not None)
    prefs.save(Preferences(default_visibility=Visibility.CONNECTIONS))  # Settings' OK, later
    record = tab.posts.create_draft("From the dashboard")
    assert record.post_content.visibility is Visibility.CONNECTIONS
