"""Waiting for the Drafts tab's background reads and writes (the task runner), bounded."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from linkie_desktop.ui.drafts.tab import DraftsTab


def settle(qtbot: QtBot, tab: DraftsTab) -> None:
    """Wait until every read and write the tab started has answered (bounded)."""
    qtbot.waitUntil(lambda: tab.tasks.pending == 0 and tab.composer.settled, timeout=5000)


def open_post(qtbot: QtBot, tab: DraftsTab, post_id: str) -> None:
    """Open a post in the composer and wait until it is shown."""
    tab.open_post(post_id)
    qtbot.waitUntil(lambda: tab.composer.post_id == post_id, timeout=5000)
    settle(qtbot, tab)
