"""Settings › Schedule: slots edited at once (through the task runner), Best time suggestions
with their reasons from the user's own history (and LinkedIn's figures when stored), and the
evergreen refill saved with OK. The process's zone is pinned to Berlin."""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db import stats
from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.slots import Slot
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.preferences import Preferences, load_preferences
from linkie_desktop.services.secrets import SecretStore
from linkie_desktop.services.slots import SlotService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.settings import SettingsDialog
from linkie_desktop.ui.settings.schedule_page import NO_HISTORY, SchedulePage
from tests.calendar_support import add_post, local, system_zone
from tests.ui.workspace_support import make_workspace


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Iterator[Workspace]:
    with system_zone("Europe/Berlin"):
        yield make_workspace(engine, user_id, tmp_path / "appdata")


def settle(page: SchedulePage, timeout_s: float = 10.0) -> None:
    deadline = clock.monotonic() + timeout_s
    while page.tasks.pending:
        assert clock.monotonic() < deadline, "the page's tasks did not answer"
        QTest.qWait(5)


def make_page(qtbot: QtBot, workspace: Workspace) -> SchedulePage:
    page = SchedulePage(workspace, Preferences())
    qtbot.addWidget(page)
    page.show()
    settle(page)
    return page


def rows(listing: QListWidget) -> list[str]:
    return [listing.item(i).text() for i in range(listing.count())]


def published(workspace: Workspace, when: datetime) -> str:
    post_id = add_post(workspace.engine, workspace.user_id, "Done", PostStatus.PUBLISHED)
    with transaction(workspace.engine) as session:
        post = session.get(Post, post_id)
        assert post is not None
        post.published_at = when
    return post_id


def test_slots_are_added_and_removed_at_once(qtbot: QtBot, workspace: Workspace) -> None:
    page = make_page(qtbot, workspace)
    assert rows(page.slot_list) == ["No slots yet: add one below."]
    assert not page.remove_button.isEnabled()
    page.day.setCurrentIndex(1)
    page.time.setTime(page.time.time().fromString("12:30", "HH:mm"))
    page.add_button.click()
    settle(page)
    assert rows(page.slot_list) == ["Tuesday 12:30"]
    assert page.status.text() == "Added a posting slot on Tuesday 12:30."
    slots = SlotService(workspace.engine, workspace.user_id)
    post = add_post(workspace.engine, workspace.user_id, "Queued")
    slots.add_to_queue(post)
    page.slot_list.setCurrentRow(0)
    page.remove_button.click()
    settle(page)
    assert slots.slots() == []
    assert page.status.text() == (
        "Removed the posting slot on Tuesday 12:30. Its 1 queued post stays scheduled at the "
        "same time."
    )
    page.tasks.close()


def test_best_time_comes_from_the_users_own_history_with_its_reason(
    qtbot: QtBot, workspace: Workspace
) -> None:
    now = datetime.now(UTC)
    monday = now.date() - timedelta(days=now.date().weekday() + 7)
    for week in range(3):
        published(workspace, local(monday - timedelta(weeks=week), 9, 20))
    published(workspace, local(monday + timedelta(days=2), 14, 5))
    page = make_page(qtbot, workspace)
    first = rows(page.suggestion_list)[0]
    assert first == (
        "Monday 09:00 — You published 3 of your 4 posts of the past year on Mondays 09:00–10:00."
    )
    page.suggestion_list.setCurrentRow(0)
    page.use_button.click()
    settle(page)
    assert SlotService(workspace.engine, workspace.user_id).slots() == [Slot(0, time(9))]
    # Taken now: it is no longer suggested.
    assert not any(row.startswith("Monday 09:00") for row in rows(page.suggestion_list))
    page.tasks.close()


def test_linkedins_figures_rank_the_suggestions_when_stored(
    qtbot: QtBot, workspace: Workspace
) -> None:
    now = datetime.now(UTC)
    monday = now.date() - timedelta(days=now.date().weekday() + 7)
    busy = [published(workspace, local(monday - timedelta(weeks=w), 9, 0)) for w in range(3)]
    quiet = published(workspace, local(monday + timedelta(days=3), 17, 0))
    with transaction(workspace.engine) as session:
        for post_id in busy:
            stats.store_figures(session, workspace.user_id, post_id, {"impressions": 100}, now)
        stats.store_figures(session, workspace.user_id, quiet, {"impressions": 900}, now)
    page = make_page(qtbot, workspace)
    assert rows(page.suggestion_list)[0] == (
        "Thursday 17:00 — Your 1 post published on Thursdays 17:00–18:00 was seen 900 times "
        "on average on LinkedIn (all your posts: 300)."
    )
    page.tasks.close()


def test_no_history_says_so(qtbot: QtBot, workspace: Workspace) -> None:
    page = make_page(qtbot, workspace)
    assert rows(page.suggestion_list) == [NO_HISTORY]
    assert not page.use_button.isEnabled()
    page.tasks.close()


def test_the_dialog_has_the_page_and_saves_the_evergreen_refill(
    qtbot: QtBot, workspace: Workspace, memory_keyring: object
) -> None:
    dialog = SettingsDialog(workspace, AppSignals(), store=SecretStore())
    qtbot.addWidget(dialog)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Schedule && &queue" in tabs
    page = dialog.schedule
    settle(page)
    assert not page.gap.isEnabled()
    page.refill.setChecked(True)
    page.gap.setValue(6)
    assert dialog.apply()
    saved = load_preferences(workspace.config.data_dir)
    assert (saved.refill_from_evergreen, saved.evergreen_gap_weeks) == (True, 6)
    assert saved.evergreen_refill_gap == timedelta(weeks=6)
    page.tasks.close()
