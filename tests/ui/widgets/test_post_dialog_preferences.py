"""The post dialog's default time comes from the window's preferences object, not the file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.services.preferences import Preferences, PreferencesStore, save_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.widgets.post_dialog import PostDialog
from tests.calendar_support import BERLIN, local
from tests.ui.workspace_support import opened_workspace

NOW = local(date(2026, 3, 26), 14, 7)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


def test_a_new_post_for_a_day_proposes_the_time_saved_in_settings(
    qtbot: QtBot, workspace: Workspace
) -> None:
    signals = AppSignals()
    prefs = AppPreferences(PreferencesStore(workspace.config.data_dir), signals)
    prefs.save(Preferences(default_post_time="07:35"))
    # Another process rewrites the file: the window's one object is what counts.
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="18:10"))

    dialog = PostDialog(
        workspace,
        signals,
        day=date(2026, 3, 30),
        tz=BERLIN,
        clock=lambda: NOW,
        preferences=prefs,
    )
    qtbot.addWidget(dialog)

    assert dialog.default_time.strftime("%H:%M") == "07:35"
    dialog.reject()
    dialog.tasks.wait_idle()
