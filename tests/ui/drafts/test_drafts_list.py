"""The posts list: filter and search narrow it in SQL, columns sort, rows stay in sync."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.model import TITLE
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import open_post, settle


def _titles(tab: DraftsTab) -> list[str]:
    return [tab.posts.model.index(row, TITLE).data() for row in range(tab.posts.model.rowCount())]


def _set_status(service: PostService, post_id: str, status: PostStatus) -> None:
    with transaction(service.engine) as session:
        queries.update_post(session, post_id, {"status": status}, service.user_id)


def test_status_filter_shows_only_that_status(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    service.create_draft("A draft", "text")
    failed = service.create_draft("A failure", "text")
    _set_status(service, failed.id, PostStatus.FAILED)
    tab = make_tab()
    assert sorted(_titles(tab)) == ["A draft", "A failure"]

    tab.posts.status_filter.setCurrentIndex(tab.posts.status_filter.findData("failed"))
    settle(qtbot, tab)

    assert _titles(tab) == ["A failure"]
    assert tab.posts.count_label.text() == "1 post"


def test_search_narrows_the_list_after_the_typing_pause(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    service.create_draft("Hiring", "We are hiring a designer")
    service.create_draft("Kickoff", "New week, new goals")
    service.create_draft("", "Design systems at scale: 100% of the time")
    tab = make_tab()

    QTest.keyClick(tab, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.posts.search_edit.hasFocus()
    QTest.keyClicks(tab.posts.search_edit, "design")
    assert len(_titles(tab)) == 3  # no reload per keystroke: the timer is still waiting
    with qtbot.waitSignal(tab.posts.search_timer.timeout):
        pass
    settle(qtbot, tab)

    assert sorted(_titles(tab)) == ["Design systems at scale: 100% of the time", "Hiring"]
    tab.posts.search_edit.setText("100%")
    tab.posts.search_edit.returnPressed.emit()
    settle(qtbot, tab)
    assert _titles(tab) == ["Design systems at scale: 100% of the time"]


def test_clicking_a_header_sorts_in_sql(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    for title in ("banana", "Apple", "cherry"):
        service.create_draft(title, "text")
    tab = make_tab()

    tab.posts.view.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    settle(qtbot, tab)
    assert _titles(tab) == ["Apple", "banana", "cherry"]
    tab.posts.view.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)
    settle(qtbot, tab)
    assert _titles(tab) == ["cherry", "banana", "Apple"]


def test_a_post_changed_elsewhere_shows_up_through_the_signal(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, signals: AppSignals
) -> None:
    tab = make_tab()
    post = service.create_draft("From the calendar", "text")
    assert tab.posts.model.row_of(post.id) is None

    signals.announce_posts([post.id])
    settle(qtbot, tab)

    assert tab.posts.model.row_of(post.id) is not None
    tab.posts.status_filter.setCurrentIndex(tab.posts.status_filter.findData("drafts"))
    _set_status(service, post.id, PostStatus.FAILED)
    signals.announce_posts([post.id])
    settle(qtbot, tab)
    assert tab.posts.model.row_of(post.id) is None  # it left the Drafts filter


def test_every_interactive_widget_has_object_and_accessible_names(
    qtbot: QtBot,
    make_tab: Callable[[], DraftsTab],
) -> None:
    tab = make_tab()
    kinds = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit)
    unnamed = [
        widget
        for widget in tab.findChildren(QWidget)
        if isinstance(widget, kinds)
        and widget.isVisibleTo(tab)
        and not isinstance(widget.parent(), (QComboBox, QAbstractItemView))
        and (not widget.objectName() or not widget.accessibleName())
    ]
    assert unnamed == []


def test_tab_walks_filter_search_list_then_composer(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    service.create_draft("One", "text")
    tab = make_tab()
    open_post(qtbot, tab, tab.posts.model.post_id_at(0) or "")
    tab.posts.status_filter.setFocus()
    expected = [
        tab.posts.search_edit,
        tab.posts.view,
        tab.composer.title_edit,
        tab.composer.body_edit,  # Tab leaves the body instead of typing a tab character
        *(tab.composer.aids.focus_order if tab.composer.aids else []),  # the writing aids
        tab.composer.add_images_button,
    ]
    seen = []
    for _ in expected:
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected
