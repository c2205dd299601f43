"""The Dashboard tab under pytest-qt: figures from the database, live updates, clicks, keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.help.keys import plain_text
from linkie_desktop.ui.post_actions import PUBLISH_NOW, RETRY, UNSCHEDULE
from tests.analytics_support import BERLIN, NOW, add_post, berlin, connect_linkedin
from tests.connection_support import mark_connected
from tests.ui.workspace_support import make_workspace

MakeTab = Callable[[], DashboardTab]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def signals() -> AppSignals:
    return AppSignals()


@pytest.fixture
def make_tab(
    qtbot: QtBot,
    engine: Engine,
    user_id: str,
    tmp_path: Path,
    clock: Clock,
    signals: AppSignals,
) -> MakeTab:
    def make() -> DashboardTab:
        workspace = make_workspace(engine, user_id, tmp_path)
        tab = DashboardTab(workspace, signals, clock=clock, tz=BERLIN)
        qtbot.addWidget(tab)
        tab.resize(1000, 640)
        qtbot.waitUntil(lambda: tab.figures is not None)  # read on the database worker
        return tab

    return make


def test_cards_show_the_database_counts(engine: Engine, user_id: str, make_tab: MakeTab) -> None:
    add_post(engine, user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 5, 9, 0))
    add_post(engine, user_id, PostStatus.SCHEDULED, scheduled=berlin(2026, 11, 20, 9, 0))
    add_post(engine, user_id, PostStatus.PUBLISHED, published=berlin(2026, 11, 1, 0, 30))
    add_post(engine, user_id, PostStatus.PUBLISHED, published=berlin(2026, 10, 31, 23, 30))
    add_post(engine, user_id, PostStatus.DRAFT)
    add_post(engine, user_id, PostStatus.FAILED, error="Content is a duplicate")

    tab = make_tab()

    assert tab.scheduled_card.value() == "1"  # the 20th is another week
    assert tab.published_card.value() == "1"  # 31 Oct 23:30 in Berlin is October
    assert tab.drafts_card.value() == "1"
    assert tab.failed_card.value() == "1"
    assert tab.failed_card.accessibleName() == "failed — need your attention: 1"


def test_failed_card_asks_for_the_failed_drafts_by_mouse_and_keyboard(
    qtbot: QtBot, make_tab: MakeTab
) -> None:
    tab = make_tab()
    tab.show()

    with qtbot.waitSignal(tab.show_failed_requested):
        QTest.mouseClick(tab.failed_card, Qt.MouseButton.LeftButton)
    tab.failed_card.setFocus()
    with qtbot.waitSignal(tab.show_failed_requested):
        QTest.keyClick(tab.failed_card, Qt.Key.Key_Space)


def test_connect_button_asks_for_settings(qtbot: QtBot, make_tab: MakeTab) -> None:
    tab = make_tab()

    assert tab.linkedin_status.text() == (
        "Not connected\nLinkie can publish only once your LinkedIn account is connected."
    )
    assert tab.connect_button.text() == "Connect LinkedIn…"
    with qtbot.waitSignal(tab.connect_requested):
        QTest.mouseClick(tab.connect_button, Qt.MouseButton.LeftButton)


def test_linkedin_card_names_the_member_and_the_days_left(
    engine: Engine, user_id: str, make_tab: MakeTab
) -> None:
    connect_linkedin(engine, user_id, "openid profile w_member_social", NOW + timedelta(days=42))

    tab = make_tab()

    assert tab.linkedin_status.text().splitlines() == [
        "Connected as Alex Rivera — token expires in 42 days",
        "Scheduled posts go out while Linkie is running.",
    ]
    assert tab.connect_button.text() == "LinkedIn settings…"


def test_upcoming_lists_the_next_seven_days_and_opens_a_post(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab, signals: AppSignals
) -> None:
    soon = add_post(
        engine,
        user_id,
        PostStatus.SCHEDULED,
        title="Thursday",
        scheduled=berlin(2026, 11, 5, 9, 0),
    )
    add_post(engine, user_id, PostStatus.SCHEDULED, title="Too far", scheduled=berlin(2026, 11, 12))

    tab = make_tab()

    assert tab.upcoming_stack.currentWidget() is tab.upcoming_list
    assert [tab.upcoming_list.item(i).text() for i in range(tab.upcoming_list.count())] == [
        "Thu 5 Nov 2026 · 09:00  —  Thursday"
    ]
    with qtbot.waitSignal(signals.open_post_requested) as opened:
        tab.upcoming_list.itemActivated.emit(tab.upcoming_list.item(0))
    assert opened.args == [soon]


def test_nothing_upcoming_shows_a_sentence(make_tab: MakeTab) -> None:
    tab = make_tab()

    assert tab.upcoming_stack.currentWidget() is tab.upcoming_empty
    assert "Nothing is scheduled for the next 7 days" in tab.upcoming_empty.text()
    assert tab.next_title.text() == "Nothing scheduled"
    assert not tab.countdown_timer.isActive()
    assert not tab.open_next_button.isEnabled()


def test_countdown_ticks_and_moves_on_when_the_post_is_due(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab, clock: Clock
) -> None:
    first = NOW + timedelta(hours=2, minutes=3, seconds=4)
    add_post(engine, user_id, PostStatus.SCHEDULED, title="First", scheduled=first)
    add_post(
        engine, user_id, PostStatus.SCHEDULED, title="Second", scheduled=NOW + timedelta(days=2)
    )

    tab = make_tab()

    timer = tab.findChild(QTimer, "countdownTimer")
    assert timer is tab.countdown_timer and timer.isActive()
    assert tab.next_title.text() == "First"
    assert tab.countdown_label.text() == "in 2 h 03 min 04 s"
    clock.now = NOW + timedelta(hours=2, minutes=3)
    qtbot.waitUntil(lambda: tab.countdown_label.text() == "in 4 s")
    clock.now = first + timedelta(seconds=1)  # the publisher would take it now
    qtbot.waitUntil(lambda: tab.next_title.text() == "Second")


def test_posts_changed_updates_the_cards(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab, signals: AppSignals
) -> None:
    tab = make_tab()
    assert tab.drafts_card.value() == "0"

    new = add_post(engine, user_id, PostStatus.DRAFT)
    signals.announce_posts([new])

    qtbot.waitUntil(lambda: tab.drafts_card.value() == "1")


def test_connection_changed_updates_the_linkedin_card(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab, signals: AppSignals
) -> None:
    tab = make_tab()

    connect_linkedin(engine, user_id, "openid", NOW + timedelta(days=60))
    signals.connection_changed.emit()

    qtbot.waitUntil(lambda: tab.linkedin_status.text().startswith("Connected as Alex Rivera"))


def test_every_interactive_widget_is_named(make_tab: MakeTab) -> None:
    tab = make_tab()

    for widget in (tab.failed_card, tab.connect_button, tab.upcoming_list, tab.open_next_button):
        assert widget.objectName()
        assert widget.accessibleName()


# --- the one set of post actions -------------------------------------------------------------


# The offscreen platform cannot give an open menu the keyboard; the menu opens all the same.
NO_KEYBOARD_GRAB = pytest.mark.qt_log_ignore("^This plugin does not support grabbing the keyboard$")


def _post_status(engine: Engine, post_id: str) -> str:
    with transaction(engine) as session:
        post = session.get(Post, post_id)
        assert post is not None
        return str(post.status)


def _open_menu(qtbot: QtBot, tab: DashboardTab) -> QMenu:
    qtbot.waitUntil(lambda: tab.menu is not None and tab.menu.isVisible(), timeout=5000)
    assert tab.menu is not None
    return tab.menu


def _action(menu: QMenu, key: str) -> QAction:
    return next(action for action in menu.actions() if action.objectName() == f"{key}Action")


@NO_KEYBOARD_GRAB
def test_an_upcoming_post_offers_the_shared_actions_by_right_click(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab
) -> None:
    soon = add_post(
        engine, user_id, PostStatus.SCHEDULED, title="Thursday", scheduled=berlin(2026, 11, 5, 9)
    )
    tab = make_tab()
    tab.show()
    rect = tab.upcoming_list.visualItemRect(tab.upcoming_list.item(0))

    QApplication.sendEvent(
        tab.upcoming_list.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse,
            rect.center(),
            tab.upcoming_list.viewport().mapToGlobal(rect.center()),
        ),
    )

    menu = _open_menu(qtbot, tab)
    assert menu.objectName() == "dashboardPostMenu"
    texts = [plain_text(action.text()) for action in menu.actions() if not action.isSeparator()]
    assert texts == [
        "Duplicate",
        "Delete",
        "Schedule…",
        "Add to queue",
        "Unschedule",
        "Publish now",
        "Retry",
        "Mark as published",
        "View on LinkedIn",
        "Copy link",
        "Show activity",
        "Repeat…",
        "Evergreen",
    ]
    # Decorated as the Post menu is (ui/icons.py), the post's own actions too.
    named = [action for action in menu.actions() if not action.isSeparator()]
    assert all(not action.icon().isNull() for action in named[:3])
    assert _action(menu, UNSCHEDULE).isEnabled() and not _action(menu, RETRY).isEnabled()
    menu.close()
    _action(menu, UNSCHEDULE).trigger()

    qtbot.waitUntil(lambda: _post_status(engine, soon) == PostStatus.DRAFT, timeout=5000)
    qtbot.waitUntil(lambda: tab.upcoming_list.count() == 0, timeout=5000)  # re-read
    assert "is a draft again" in tab.message_bar.text_label.text()


@NO_KEYBOARD_GRAB
@pytest.mark.parametrize("key", ["Shift+F10", "menu key"])
def test_the_keyboard_opens_the_menu_of_the_current_post(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab, key: str
) -> None:
    add_post(engine, user_id, PostStatus.SCHEDULED, title="First", scheduled=berlin(2026, 11, 5))
    add_post(engine, user_id, PostStatus.SCHEDULED, title="Second", scheduled=berlin(2026, 11, 6))
    tab = make_tab()
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.upcoming_list.setFocus()
    tab.upcoming_list.setCurrentRow(1)

    if key == "menu key":
        # What the window system sends for the menu key (QTest's key events skip that step).
        QApplication.sendEvent(
            tab.upcoming_list,
            QContextMenuEvent(
                QContextMenuEvent.Reason.Keyboard,
                QPoint(5, 5),
                tab.upcoming_list.mapToGlobal(QPoint(5, 5)),
            ),
        )
    else:
        QTest.keyClick(tab.upcoming_list, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)

    menu = _open_menu(qtbot, tab)
    assert menu.accessibleName() == "Actions for Second"
    menu.close()  # an open popup takes the clicks of whatever test comes next


@NO_KEYBOARD_GRAB
def test_the_next_post_has_the_same_actions_and_publish_now_goes_to_the_window(
    qtbot: QtBot, engine: Engine, user_id: str, make_tab: MakeTab
) -> None:
    mark_connected(engine, user_id)
    later = add_post(
        engine, user_id, PostStatus.SCHEDULED, title="Later", scheduled=berlin(2026, 12, 1)
    )
    tab = make_tab()
    tab.show()
    qtbot.waitUntil(lambda: tab.tasks.pending == 0, timeout=5000)  # the connection, read

    tab.next_actions_button.click()

    menu = _open_menu(qtbot, tab)
    assert menu.accessibleName() == "Actions for Later"
    menu.close()
    _action(menu, PUBLISH_NOW).trigger()
    qtbot.waitUntil(lambda: tab.post_actions.publish_question is not None, timeout=5000)
    question = tab.post_actions.publish_question
    assert question is not None and question.text() == "Publish to LinkedIn now?"
    with qtbot.waitSignal(tab.publish_now_requested, timeout=5000) as request:
        confirm = question.findChild(QPushButton, "publishNowConfirm")
        assert confirm is not None
        confirm.click()
    assert request.args == [later]
