"""The Activity tab under pytest-qt, on a history the real publisher wrote against the LinkedIn
test server: newest first, filtered by outcome and by a post's words, one post's from Show
activity, read in pages on the database worker (issue 15)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.services import activity
from linkie_desktop.services.activity import EventKind, EventOutcome, record
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.activity.tab import OUTCOME_FILTERS, ActivityTab
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.main_window import MainWindow
from linkie_desktop.ui.post_actions import SHOW_ACTIVITY, PostActions, PostTarget
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.theme import Theme
from linkie_desktop.ui.widgets.activity_list import DETAIL, PAGE_SIZE, POST, WHAT, ActivityList
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, POSTS_PATH, Desk, make_desk
from tests.ui.workspace_support import make_workspace

SHOTS = Path(os.environ.get("LINKIE_SHOTS", "/tmp/linkie-shots"))
WAIT_MS = 5000


@pytest.fixture
def desk(engine: Engine, user_id: str, linkedin_server: FakeLinkedIn) -> Desk:
    """Three posts' stories: one refused (422), one retried twice then published, one waiting."""
    desk = make_desk(engine, user_id, linkedin_server)
    desk.server.inject(
        "POST",
        POSTS_PATH,
        422,
        body={"message": "Content is a duplicate of urn:li:share:7", "status": 422},
    )
    desk.due_post("Quarterly numbers are in")
    desk.run()
    desk.server.inject("POST", POSTS_PATH, 503, times=2)
    desk.due_post("Team offsite recap")
    desk.run(NOW + timedelta(seconds=1))
    desk.run(NOW + timedelta(seconds=61))
    desk.run(NOW + timedelta(seconds=181))
    return desk


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path)


def _tab(qtbot: QtBot, workspace: Workspace) -> ActivityTab:
    tab = ActivityTab(workspace, AppSignals(), clock=lambda: NOW + timedelta(minutes=5))
    qtbot.addWidget(tab)
    tab.resize(1100, 560)
    tab.show()
    qtbot.waitUntil(lambda: tab.list.history.total is not None, timeout=WAIT_MS)
    return tab


def _whats(tab: ActivityTab) -> list[str]:
    model = tab.list.history
    return [str(model.index(row, WHAT).data()) for row in range(model.rowCount())]


def _settle(qtbot: QtBot, tab: ActivityTab) -> None:
    qtbot.waitUntil(lambda: tab.tasks.pending == 0, timeout=WAIT_MS)


def test_every_attempt_and_outcome_is_listed_newest_first(
    qtbot: QtBot, desk: Desk, workspace: Workspace
) -> None:
    tab = _tab(qtbot, workspace)
    assert _whats(tab) == [
        "Published",
        "Sending to LinkedIn",
        "Will try again",
        "Sending to LinkedIn",
        "Will try again",
        "Sending to LinkedIn",
        "Failed",
        "Sending to LinkedIn",
    ]
    model = tab.list.history
    refused = model.index(6, DETAIL).data()
    assert "duplicate of urn:li:share:7" in refused and model.index(6, POST).data() == (
        "Quarterly numbers are in"
    )
    assert "HTTP 503" in model.index(2, DETAIL).data()  # LinkedIn's answer, in words
    assert "Trying again" in model.index(2, DETAIL).data()
    assert tab.count_label.text() == "8 entries, newest first"


def test_filters_by_outcome_and_by_the_posts_words(
    qtbot: QtBot, desk: Desk, workspace: Workspace
) -> None:
    tab = _tab(qtbot, workspace)
    failures = [text for text, _ in OUTCOME_FILTERS].index("Failures")
    tab.outcome_filter.setCurrentIndex(failures)
    _settle(qtbot, tab)
    assert _whats(tab) == ["Failed"]
    tab.outcome_filter.setCurrentIndex(0)
    QTest.keyClicks(tab.search, "offsite")
    qtbot.waitUntil(lambda: tab.list.history.total == 6, timeout=WAIT_MS)  # after the pause
    model = tab.list.history
    assert {model.index(row, POST).data() for row in range(model.rowCount())} == {
        "Team offsite recap"
    }
    tab.search.clear()
    QTest.keyClicks(tab.search, "nothing like it")
    qtbot.waitUntil(lambda: tab.list.history.total == 0, timeout=WAIT_MS)
    assert tab.stack.currentWidget() is tab.empty
    assert tab.empty.text() == "No entry matches these filters."


def test_show_activity_opens_the_tab_at_one_posts_history(
    qtbot: QtBot, desk: Desk, workspace: Workspace
) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    dashboard = window.page("dashboard")
    assert dashboard is not None
    [actions] = dashboard.findChildren(PostActions)
    offsite = next(
        e.post_id
        for e in activity.page(workspace.engine, workspace.user_id, activity.ActivityQuery(), 0, 9)
        if e.post_label == "Team offsite recap"
    )
    actions.act(SHOW_ACTIVITY, PostTarget(offsite, "published", "Team offsite recap"))
    tab = window.page("activity")
    assert isinstance(tab, ActivityTab) and window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.list.history.total == 6, timeout=WAIT_MS)
    assert tab.post_chip.isVisibleTo(tab) and tab.post_chip.text() == "One post: Team offsite recap"
    assert tab.list.isColumnHidden(POST)
    tab.all_posts_button.click()
    qtbot.waitUntil(lambda: tab.list.history.total == 8, timeout=WAIT_MS)


def test_a_long_history_is_read_page_by_page_as_it_scrolls(
    qtbot: QtBot, engine: Engine, user_id: str, workspace: Workspace, linkedin_server: FakeLinkedIn
) -> None:
    desk = make_desk(engine, user_id, linkedin_server)
    post_id = desk.due_post("Busy post")
    with transaction(engine) as session:
        for n in range(PAGE_SIZE * 2 + 5):
            record(session, user_id, post_id, EventKind.WAITING, EventOutcome.RETRY, f"wait {n}")
    compact = ActivityList(TaskRunner(), engine, user_id, post_id=post_id)
    qtbot.addWidget(compact)
    qtbot.waitUntil(lambda: compact.history.total == PAGE_SIZE * 2 + 5, timeout=WAIT_MS)
    assert compact.history.rowCount() == PAGE_SIZE  # one page held, not the whole history
    compact.show()
    compact.scrollToBottom()
    qtbot.waitUntil(lambda: compact.history.rowCount() > PAGE_SIZE, timeout=WAIT_MS)
    assert compact.isColumnHidden(POST)  # compact: the post's own view knows which post


@pytest.fixture(params=["light", "dark"])
def look(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = Theme(app, str(request.param))
    yield str(request.param)
    theme.release()


def test_the_tab_renders_in_light_and_dark(
    qtbot: QtBot, desk: Desk, workspace: Workspace, look: str
) -> None:
    tab = _tab(qtbot, workspace)
    tab.resize(1280, 560)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = tab.grab()
    assert shot.save(str(SHOTS / f"activity-{look}.png")) and not shot.isNull()
