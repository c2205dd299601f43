"""Typing in the composer reaches the database without a Save click."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.tab_support import open_post, settle


def _published_elsewhere(service: PostService, post_id: str) -> None:
    """The publisher finishes the post while the user is still typing in it."""
    with transaction(service.engine) as session:
        queries.update_post(session, post_id, {"status": PostStatus.PUBLISHED}, service.user_id)


def _open_and_type(qtbot: QtBot, tab: DraftsTab, post_id: str, text: str) -> None:
    open_post(qtbot, tab, post_id)
    tab.composer.body_edit.setFocus()
    QTest.keyClicks(tab.composer.body_edit, text)


def test_typing_a_new_post_is_saved_by_the_autosave_timer(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    tab = make_tab()
    tab.new_post()
    QTest.keyClicks(tab.composer.title_edit, "Monday thoughts")
    QTest.keyClicks(tab.composer.body_edit, "Ship small, ship often.")
    assert tab.composer.autosave_timer.isActive()

    with qtbot.waitSignal(tab.composer.autosave_timer.timeout, timeout=5000):
        pass
    settle(qtbot, tab)  # the save's answer, and the list's first page read again for the row

    post_id = tab.composer.post_id
    assert post_id is not None
    stored = service.get(post_id)
    assert (stored.title, stored.content, stored.status) == (
        "Monday thoughts",
        "Ship small, ship often.",
        PostStatus.DRAFT,
    )
    assert (
        tab.posts.model.row_of(post_id) is not None
    )  # the list learned about it through the signal


def test_focus_leaving_the_composer_saves_at_once(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    draft = service.create_draft("Idea", "first")
    tab = make_tab()
    _open_and_type(qtbot, tab, draft.id, " second")
    tab.posts.search_edit.setFocus()  # focus moves to the list side

    assert not tab.composer.autosave_timer.isActive()
    settle(qtbot, tab)
    assert service.get(draft.id).content == "first second"


def test_ctrl_s_saves_now(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    draft = service.create_draft("", "hello")
    tab = make_tab()
    _open_and_type(qtbot, tab, draft.id, " world")
    QTest.keyClick(tab.composer.body_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, tab)

    assert service.get(draft.id).content == "hello world"
    assert tab.composer.save_state.text() == "Saved"


def test_editing_a_scheduled_post_keeps_it_scheduled(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Kickoff", "New week")
    service.schedule(post.id, datetime.now(UTC) + timedelta(days=2))
    tab = make_tab()
    _open_and_type(qtbot, tab, post.id, ", new goals")
    assert tab.composer.flush()
    settle(qtbot, tab)

    stored = service.get(post.id)
    assert stored.status == PostStatus.SCHEDULED
    assert stored.content == "New week, new goals"


def test_switching_posts_saves_the_one_being_left(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    first = service.create_draft("First", "one")
    second = service.create_draft("Second", "two")
    tab = make_tab()
    _open_and_type(qtbot, tab, first.id, "!")

    row = tab.posts.model.row_of(second.id)
    assert row is not None
    tab.posts.view.setCurrentIndex(tab.posts.model.index(row, 0))
    settle(qtbot, tab)

    assert tab.composer.post_id == second.id
    assert service.get(first.id).content == "one!"


def test_text_of_a_post_published_while_typing_is_kept_as_a_new_draft(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Race", "typed")
    tab = make_tab()
    _open_and_type(qtbot, tab, post.id, " more")
    _published_elsewhere(service, post.id)

    with qtbot.waitSignal(tab.composer.problem) as problem:
        assert tab.composer.flush()
    settle(qtbot, tab)

    assert "new draft" in problem.args[0]
    assert service.get(post.id).content == "typed"
    fork_id = tab.composer.post_id
    assert fork_id is not None and fork_id != post.id
    assert service.get(fork_id).content == "typed more"


def test_publisher_news_while_typing_keeps_the_typing(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, signals: AppSignals
) -> None:
    post = service.create_draft("Race", "typed")
    tab = make_tab()
    _open_and_type(qtbot, tab, post.id, " more")
    _published_elsewhere(service, post.id)

    signals.announce_posts([post.id])  # what the publisher driver does after a pass
    settle(qtbot, tab)

    fork_id = tab.composer.post_id
    assert fork_id is not None and fork_id != post.id
    assert service.get(fork_id).content == "typed more"
    assert tab.composer.body_edit.toPlainText() == "typed more"
    assert not tab.composer.body_edit.isReadOnly()


def test_text_the_rules_refuse_is_kept_unsaved_with_the_reason_not_a_crash(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    draft = service.create_draft("Idea", "first")
    tab = make_tab()
    problems: list[str] = []
    tab.composer.problem.connect(problems.append)
    _open_and_type(qtbot, tab, draft.id, " and a form feed")
    tab.composer.body_edit.insertPlainText(" \f pasted from a document")  # as a paste does

    assert tab.composer.flush() is False

    assert service.get(draft.id).content == "first"  # nothing written
    assert tab.composer.body_edit.toPlainText().endswith("pasted from a document")  # words kept
    assert tab.composer.save_state.text() == "Not saved — see the message"
    assert len(problems) == 1 and "control character, U+000C (form feed)" in problems[0]
    assert not tab.composer.autosave_timer.isActive()  # it would only fail again


def test_the_title_box_keeps_at_most_200_characters(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab]
) -> None:
    tab = make_tab()
    tab.new_post()
    tab.composer.title_edit.setFocus()
    tab.composer.title_edit.insert("t" * 250)
    assert tab.composer.title_edit.text() == "t" * 200
