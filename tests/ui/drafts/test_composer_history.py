"""The composer's History section: the opened post's own activity history, as the real publisher
wrote it against the LinkedIn test server, read only once the section is opened, from the
keyboard too, and read again when the post changes (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.post_history import EMPTY
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.widgets.activity_list import DETAIL, WHAT, ActivityList
from tests.fakes.linkedin_server import FakeLinkedIn
from tests.integration.publisher_support import NOW, POSTS_PATH, make_desk
from tests.ui.drafts.tab_support import open_post, settle

WAIT_MS = 5000
RETRYING = ["Will try again", "Sending to LinkedIn"]
SENT = ["Published", "Sending to LinkedIn"]


def _whats(composer: Composer) -> list[str]:
    shown = composer.history.list
    assert shown is not None
    model = shown.history
    return [str(model.index(row, WHAT).data()) for row in range(model.rowCount())]


def test_the_opened_posts_history_is_read_when_opened_and_follows_the_post(
    qtbot: QtBot,
    make_tab: Callable[[], DraftsTab],
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    signals: AppSignals,
) -> None:
    desk = make_desk(engine, user_id, linkedin_server)
    desk.server.inject("POST", POSTS_PATH, 503, times=1)
    post_id = desk.due_post("Team offsite recap")
    desk.run()  # LinkedIn answers 503: it will be tried again
    tab = make_tab()
    open_post(qtbot, tab, post_id)
    composer = tab.composer
    history = composer.history
    assert history.isVisibleTo(tab) and not history.toggle.isChecked()
    assert composer.findChild(ActivityList) is None  # closed: nothing built, nothing read

    history.toggle.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(history.toggle, Qt.Key.Key_Space)  # opened from the keyboard
    assert history.is_open and history.list is not None
    qtbot.waitUntil(
        lambda: _whats(composer) == ["Will try again", "Sending to LinkedIn"], timeout=WAIT_MS
    )
    assert history.list.isVisibleTo(tab) and history.list.accessibleName() == "History of this post"
    assert "HTTP 503" in str(history.list.history.index(0, DETAIL).data())

    desk.run(NOW + timedelta(seconds=61))  # the retry goes out
    signals.announce_posts([post_id])  # as the publisher driver announces each outcome
    qtbot.waitUntil(
        lambda: _whats(composer)[:2] == ["Published", "Sending to LinkedIn"], timeout=WAIT_MS
    )
    assert len(_whats(composer)) == 4


def test_another_post_shows_its_own_history_and_a_new_post_none(
    qtbot: QtBot,
    make_tab: Callable[[], DraftsTab],
    engine: Engine,
    user_id: str,
    linkedin_server: FakeLinkedIn,
    service: PostService,
) -> None:
    desk = make_desk(engine, user_id, linkedin_server)
    sent = desk.due_post("Sent already")
    desk.run()
    quiet = service.create_draft("Quiet", "Nothing happened to this one")
    tab = make_tab()
    composer = tab.composer
    open_post(qtbot, tab, sent)
    composer.history.toggle.click()
    qtbot.waitUntil(
        lambda: _whats(composer) == ["Published", "Sending to LinkedIn"], timeout=WAIT_MS
    )

    open_post(qtbot, tab, quiet.id)  # still open: it reads the other post's
    qtbot.waitUntil(lambda: composer.history.empty.isVisibleTo(tab), timeout=WAIT_MS)
    assert composer.history.empty.text() == EMPTY and _whats(composer) == []

    tab.new_post()
    settle(qtbot, tab)
    assert not composer.history.isVisibleTo(tab)  # a new post has no history yet
