"""A scheduled post whose time has come while LinkedIn cannot take it says so in the Calendar:
"Waiting — reconnect LinkedIn" (or "connect"), not "Scheduled" at a time already past — on its
chip's tooltip and to screen readers, in the week, the agenda and a day's list, by the one rule
the Drafts list and the Dashboard use (services.overview.waiting_label); the words follow the
connection as it changes (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import OAuthStatus
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.overview import WAITING_CONNECT, WAITING_RECONNECT
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.calendar import CalendarTab
from linkie_desktop.ui.calendar.day_cell import PostChip
from linkie_desktop.ui.calendar.tab import WEEK
from tests.calendar_support import add_post
from tests.connection_support import mark_connected
from tests.ui.calendar import test_calendar_tab as base
from tests.ui.calendar.test_calendar_tab import NOW, TODAY, cell, settle
from tests.ui.workspace_support import opened_workspace

DUE = NOW - timedelta(hours=1)  # its time has come: the publisher would have sent it
LATER = NOW + timedelta(hours=3)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, british: None) -> CalendarTab:
    add_post(workspace.engine, workspace.user_id, "Due already", PostStatus.SCHEDULED, DUE)
    add_post(workspace.engine, workspace.user_id, "Later today", PostStatus.SCHEDULED, LATER)
    return base.make_tab(qtbot, workspace)


def _chip(tab: CalendarTab, label: str) -> PostChip:
    [chip] = [c for c in cell(tab, TODAY).chips if c.post is not None and c.post.label == label]
    return chip


def _expire(workspace: Workspace) -> None:
    """LinkedIn answered 401: the publisher stores the connection as expired."""
    mark_connected(workspace.engine, workspace.user_id)
    with transaction(workspace.engine) as session:
        queries.upsert_user_settings(
            session, workspace.user_id, {"linkedin_oauth_status": OAuthStatus.EXPIRED}
        )


def test_a_due_post_waits_for_the_connection_and_says_so(
    tab: CalendarTab, workspace: Workspace
) -> None:
    due, later = _chip(tab, "Due already"), _chip(tab, "Later today")
    assert WAITING_CONNECT in due.toolTip() and due.accessibleName().endswith(WAITING_CONNECT)
    assert "Scheduled" not in due.toolTip()
    assert later.accessibleName().endswith("Scheduled")  # still to come: nothing waits yet

    _expire(workspace)
    tab.signals.connection_changed.emit()  # as the publisher and Settings announce it
    settle(tab)
    due = _chip(tab, "Due already")
    assert due.toolTip().startswith(f"{tab.time_text(due.post)} · {WAITING_RECONNECT}")  # type: ignore[arg-type]
    assert due.accessibleName().endswith(WAITING_RECONNECT)

    mark_connected(workspace.engine, workspace.user_id)  # reconnected: it goes out now
    tab.signals.connection_changed.emit()
    settle(tab)
    assert _chip(tab, "Due already").accessibleName().endswith(", Scheduled")


def test_the_week_and_a_days_list_say_waiting_too(
    tab: CalendarTab, workspace: Workspace, qtbot: QtBot
) -> None:
    _expire(workspace)
    tab.signals.connection_changed.emit()
    settle(tab)
    tab.set_mode(WEEK)
    settle(tab)
    due = _chip(tab, "Due already").post
    assert due is not None
    tab.week_view.canvas.select(due.id)
    assert tab.week_view.canvas.accessibleName().endswith(WAITING_RECONNECT)

    tab.open_day_list(TODAY)
    settle(tab)
    dialog = tab.day_dialog
    assert dialog is not None
    texts = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert "Due already" in texts[0] and texts[0].endswith(f"Due already — {WAITING_RECONNECT}")
    assert texts[1].endswith("Later today — Scheduled")
    dialog.close()


def test_a_chip_shows_the_words_it_is_given(qtbot: QtBot, tab: CalendarTab) -> None:
    chip = _chip(tab, "Later today")
    assert chip.post is not None
    chip.show_post(chip.post, "16:07", dimmed=False, status=WAITING_RECONNECT)
    assert chip.toolTip().splitlines()[0] == f"16:07 · {WAITING_RECONNECT}"
    assert chip.accessibleName() == f"16:07 Later today, {WAITING_RECONNECT}"
