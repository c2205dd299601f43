"""The posts list under bad input and a failing database: capped search, whole model, a message."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.model import PAGE_SIZE, TITLE, PostsTableModel
from linkie_desktop.ui.drafts.post_list import SEARCH_MAX_CHARS
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import settle


def _titles(model: PostsTableModel) -> list[str]:
    return [model.index(row, TITLE).data() for row in range(model.rowCount())]


class _Resets:
    """Counts modelAboutToBeReset and modelReset, to prove every reset that began also ended."""

    def __init__(self, model: PostsTableModel) -> None:
        self.begun = self.ended = 0
        model.modelAboutToBeReset.connect(self._begin)
        model.modelReset.connect(self._end)

    def _begin(self) -> None:
        self.begun += 1

    def _end(self) -> None:
        self.ended += 1


@contextmanager
def _posts_table_gone(db_path: Path) -> Iterator[None]:
    """Another program renames the posts table under the running app (a real schema fault)."""
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("ALTER TABLE posts RENAME TO posts_elsewhere")
        yield
        other.execute("ALTER TABLE posts_elsewhere RENAME TO posts")
    finally:
        other.close()


def test_a_huge_pasted_search_is_capped_with_a_hint_and_the_list_still_answers(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    make_tab: Callable[[], DraftsTab],
    service: PostService,
) -> None:
    # Two-byte letters: 40,000 of them (or the 32,767 a QLineEdit keeps by default) are a LIKE
    # pattern over SQLite's 50,000-byte limit, which raised "LIKE or GLOB pattern too complex".
    service.create_draft("Umlauts", "ü" * 300)
    service.create_draft("Plain", "nothing to see")
    tab = make_tab()
    qtmodeltester.check(tab.posts.model, force_py=True)  # type: ignore[no-untyped-call]
    search = tab.posts.search_edit
    assert not tab.posts.search_hint.isVisible()

    QApplication.clipboard().setText("ü" * 40_000)
    search.setFocus()
    QTest.keyClick(search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(tab.posts.search_timer.timeout):
        pass
    settle(qtbot, tab)

    assert search.text() == "ü" * SEARCH_MAX_CHARS
    assert tab.posts.search_hint.isVisible()
    assert f"{SEARCH_MAX_CHARS}" in tab.posts.search_hint.text()
    assert _titles(tab.posts.model) == ["Umlauts"]
    assert tab.posts.count_label.text() == "1 post"
    assert not tab.message_bar.isVisible()

    search.clear()
    QTest.keyClicks(search, "nothing")
    search.returnPressed.emit()
    settle(qtbot, tab)
    assert _titles(tab.posts.model) == ["Plain"]
    assert not tab.posts.search_hint.isVisible()


def test_a_search_that_the_database_cannot_run_leaves_the_list_whole_and_says_so(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    make_tab: Callable[[], DraftsTab],
    service: PostService,
    db_path: Path,
) -> None:
    service.create_draft("Kickoff", "New week")
    service.create_draft("Hiring", "We are hiring")
    tab = make_tab()
    model = tab.posts.model
    qtmodeltester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    resets = _Resets(model)
    shown = _titles(model)

    with _posts_table_gone(db_path):
        tab.posts.search_edit.setText("hiring")
        tab.posts.search_edit.returnPressed.emit()
        settle(qtbot, tab)

        assert resets.begun == resets.ended
        assert _titles(model) == shown  # the rows it last read, not half of a reset
        assert tab.message_bar.isVisible()
        message = tab.message_bar.text_label.text()
        assert "could not read your posts" in message
        assert "no such table" in message
        assert tab.posts.count_label.text() == "2 posts"  # the count that goes with those rows

    # Once the database is back, the same search simply works: nothing was left half-done.
    tab.posts.search_edit.returnPressed.emit()
    settle(qtbot, tab)
    assert resets.begun == resets.ended
    assert _titles(model) == ["Hiring"]
    assert tab.posts.count_label.text() == "1 post"


def test_loading_more_rows_from_a_failing_database_keeps_the_rows_and_says_so(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    make_tab: Callable[[], DraftsTab],
    service: PostService,
    signals: AppSignals,
    db_path: Path,
) -> None:
    with transaction(service.engine) as session:
        for number in range(PAGE_SIZE + 20):
            session.add(Post(user_id=service.user_id, title=f"Post {number:03d}", content="x"))
    tab = make_tab()
    model = tab.posts.model
    assert model.rowCount() == PAGE_SIZE

    with _posts_table_gone(db_path):
        tab.posts.view.scrollToBottom()  # the view asks the model for the next page
        model.fetchMore(QModelIndex())
        settle(qtbot, tab)
        assert model.rowCount() == PAGE_SIZE
        assert "could not read your posts" in tab.message_bar.text_label.text()
        # Asked again and again by the view, it does not try (and wait on a lock) each time.
        assert not model.canFetchMore(QModelIndex())

    signals.announce_posts([])  # the next change reads afresh, and scrolling loads again
    settle(qtbot, tab)
    # The tester finds the model whole after the fault, and every page loads again.
    qtmodeltester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        settle(qtbot, tab)
    assert model.rowCount() == PAGE_SIZE + 20


def test_a_change_elsewhere_while_the_database_fails_changes_nothing_and_says_so(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    make_tab: Callable[[], DraftsTab],
    service: PostService,
    signals: AppSignals,
    db_path: Path,
) -> None:
    service.create_draft("Kickoff", "New week")
    tab = make_tab()
    model = tab.posts.model
    qtmodeltester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    resets = _Resets(model)
    added_elsewhere = service.create_draft("From the calendar", "text")

    with _posts_table_gone(db_path):
        signals.announce_posts([added_elsewhere.id])
        signals.announce_posts([])  # "everything may have changed": a full reload
        settle(qtbot, tab)
        assert resets.begun == resets.ended
        assert _titles(model) == ["Kickoff"]
        assert "could not read your posts" in tab.message_bar.text_label.text()

    signals.announce_posts([added_elsewhere.id])
    settle(qtbot, tab)
    assert resets.begun == resets.ended
    assert sorted(_titles(model)) == ["From the calendar", "Kickoff"]
