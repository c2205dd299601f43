"""Post actions in the Drafts tab: read-only rules, Schedule…, Delete with Undo, Publish now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService, UnknownPostError
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.connection_support import mark_connected
from tests.fakes.image_files import png_bytes, write_png
from tests.ui.drafts.attach_support import attach_and_wait
from tests.ui.drafts.tab_support import open_post, settle
from tests.ui.publish_question_support import say_publish


def _set(service: PostService, post_id: str, changes: queries.PostChanges) -> None:
    with transaction(service.engine) as session:
        queries.update_post(session, post_id, changes, service.user_id)


def test_a_published_post_cannot_be_edited(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Done", "Already on LinkedIn")
    _set(service, post.id, {"status": PostStatus.PUBLISHED})
    tab = make_tab()
    open_post(qtbot, tab, post.id)

    QTest.keyClicks(tab.composer.body_edit, " edited")
    tab.composer.flush()
    settle(qtbot, tab)

    assert tab.composer.body_edit.isReadOnly()
    assert "Duplicate" in tab.composer.notice.text()
    assert service.get(post.id).content == "Already on LinkedIn"
    assert not tab.schedule_action.isEnabled()
    assert tab.duplicate_action.isEnabled()


def test_a_3001_character_post_cannot_be_scheduled_and_says_why(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Long", "x" * 3001)
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    assert tab.composer.counter.text() == "3001 / 3000"
    assert "color" in tab.composer.counter.styleSheet()  # shown in the warning colour

    tab.schedule_action.trigger()

    assert tab.schedule_prompt is None
    assert tab.message_bar.isVisible()
    assert "3001 characters" in tab.message_bar.text_label.text()
    assert "3000" in tab.message_bar.text_label.text()
    assert service.get(post.id).status == PostStatus.DRAFT


def test_schedule_dialog_refuses_the_past_and_accepts_the_future(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Soon", "A short post")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    tab.schedule_action.trigger()
    prompt = tab.schedule_prompt
    assert prompt is not None and prompt.isVisible()

    prompt.when_edit.setMinimumDateTime(QDateTime.currentDateTime().addDays(-2))
    prompt.when_edit.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
    prompt.accept()
    assert prompt.isVisible()
    assert "already passed" in prompt.error_label.text()
    assert service.get(post.id).status == PostStatus.DRAFT

    future = QDateTime.currentDateTime().addDays(3)
    prompt.when_edit.setDateTime(future)
    prompt.accept()
    settle(qtbot, tab)

    stored = service.get(post.id)
    assert not prompt.isVisible()
    assert stored.status == PostStatus.SCHEDULED
    assert stored.scheduled_at is not None
    assert abs(stored.scheduled_at.timestamp() - future.toSecsSinceEpoch()) < 60


def test_delete_can_be_undone(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Keep me", "Precious words")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    tab.posts.view.setFocus()

    QTest.keyClick(tab.posts.view, Qt.Key.Key_Delete)
    settle(qtbot, tab)

    assert tab.posts.model.row_of(post.id) is None
    try:
        service.get(post.id)
        raise AssertionError("the post should be gone")
    except UnknownPostError:
        pass
    assert tab.message_bar.action_button.text() == "Undo"

    QTest.mouseClick(tab.message_bar.action_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    qtbot.waitUntil(lambda: tab.composer.post_id == post.id, timeout=5000)

    restored = service.get(post.id)
    assert (restored.title, restored.content) == ("Keep me", "Precious words")
    assert restored.created_at == post.created_at
    assert tab.posts.model.row_of(post.id) is not None
    assert tab.composer.post_id == post.id


def test_the_delete_key_in_the_composer_deletes_characters_not_the_post(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("", "abc")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    tab.composer.body_edit.setFocus()
    QTest.keyClick(tab.composer.body_edit, Qt.Key.Key_Home)
    QTest.keyClick(tab.composer.body_edit, Qt.Key.Key_Delete)
    tab.composer.flush()
    settle(qtbot, tab)
    assert service.get(post.id).content == "bc"


def test_duplicate_makes_an_editable_draft_of_a_published_post(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Classic", "Worth repeating")
    _set(service, post.id, {"status": PostStatus.PUBLISHED})
    tab = make_tab()
    open_post(qtbot, tab, post.id)

    tab.duplicate_action.trigger()
    qtbot.waitUntil(lambda: tab.composer.post_id != post.id, timeout=5000)
    settle(qtbot, tab)

    copy_id = tab.composer.post_id
    assert copy_id is not None and copy_id != post.id
    copy = service.get(copy_id)
    assert (copy.status, copy.content) == (PostStatus.DRAFT, "Worth repeating")
    assert not tab.composer.body_edit.isReadOnly()


def test_publish_now_is_disabled_with_a_reason_until_linkedin_is_connected(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, signals: AppSignals
) -> None:
    post = service.create_draft("Now", "Ready to go")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    assert not tab.publish_action.isEnabled()
    assert "Connect your LinkedIn account" in tab.publish_action.toolTip()

    mark_connected(service.engine, service.user_id)
    signals.connection_changed.emit()
    settle(qtbot, tab)

    assert tab.publish_action.isEnabled()
    with qtbot.waitSignal(tab.publish_now_requested) as request:
        tab.publish_action.trigger()
        say_publish(qtbot, tab.shared_actions)  # "Publish to LinkedIn now?"
    assert request.args == [post.id]


def test_retry_resets_a_failed_post_for_the_publisher(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Hiring", "We're hiring")
    _set(
        service,
        post.id,
        {"status": PostStatus.FAILED, "retry_count": 3, "error_message": "LinkedIn said no"},
    )
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    assert "LinkedIn said no" in tab.composer.notice.text()
    assert tab.retry_action.isEnabled()

    tab.retry_action.trigger()
    settle(qtbot, tab)

    stored = service.get(post.id)
    assert (stored.status, stored.retry_count, stored.error_message) == (
        PostStatus.SCHEDULED,
        0,
        None,
    )
    assert stored.scheduled_at is not None
    assert stored.scheduled_at <= datetime.now(UTC) + timedelta(seconds=1)


def test_an_image_is_copied_and_shown_and_can_be_removed(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, tmp_path: Path
) -> None:
    post = service.create_draft("Pic", "With a picture")
    original = write_png(tmp_path / "holiday.png")
    tab = make_tab()
    open_post(qtbot, tab, post.id)

    assert attach_and_wait(qtbot, tab.composer, original)
    original.unlink()  # the post must not depend on the original

    stored = service.get(post.id)
    assert stored.image_path is not None
    assert Path(stored.image_path).is_file()
    tile = tab.composer.strip.tiles[0]
    qtbot.waitUntil(lambda: not tile.picture.pixmap().isNull())
    assert tile.remove_button.isEnabled()

    tile.remove_button.click()
    settle(qtbot, tab)
    assert service.get(post.id).image_path is None
    assert not Path(stored.image_path).exists()


def test_a_bad_image_is_explained_and_the_post_is_unchanged(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, tmp_path: Path
) -> None:
    post = service.create_draft("Pic", "Text")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("just text")
    huge = tmp_path / "huge.png"
    huge.write_bytes(png_bytes(8000, 6000, pixels=False))

    for bad, words in ((not_an_image, "not a PNG, JPEG or GIF"), (huge, "megapixels")):
        before = service.get(post.id)
        assert not attach_and_wait(qtbot, tab.composer, bad)
        assert words in tab.composer.message.text()
        assert tab.composer.message.isVisible()
        assert service.get(post.id) == before


def _answer_input_dialog(qtbot: QtBot, text: str) -> None:
    """Fill in and accept the modal dialog that the next action opens."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(text)
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_mark_as_published_keeps_the_pasted_link_as_the_post_urn(
    make_tab: Callable[[], DraftsTab], service: PostService, qtbot: QtBot
) -> None:
    post = service.create_draft("", "Did it go out?")
    _set(service, post.id, {"status": PostStatus.FAILED, "error_message": "May have been"})
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    assert tab.mark_published_action.isEnabled()

    _answer_input_dialog(qtbot, "https://www.linkedin.com/feed/update/urn:li:activity:7123/")
    tab.mark_published_action.trigger()
    settle(qtbot, tab)

    stored = service.get(post.id)
    assert (stored.status, stored.linkedin_post_urn, stored.error_message) == (
        PostStatus.PUBLISHED,
        "urn:li:activity:7123",
        None,
    )


def test_mark_as_published_refuses_a_link_that_is_not_a_post(
    make_tab: Callable[[], DraftsTab], service: PostService, qtbot: QtBot
) -> None:
    post = service.create_draft("", "Did it go out?")
    _set(service, post.id, {"status": PostStatus.FAILED, "error_message": "May have been"})
    tab = make_tab()
    open_post(qtbot, tab, post.id)

    _answer_input_dialog(qtbot, "https://example.com/not-linkedin")
    tab.mark_published_action.trigger()
    settle(qtbot, tab)

    assert "not a LinkedIn post address" in tab.message_bar.text_label.text()
    assert service.get(post.id).status == PostStatus.FAILED


def test_the_composer_says_when_a_scheduled_post_goes_out(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    post = service.create_draft("Kickoff", "Monday plans")
    tomorrow = (QDateTime.currentDateTime().addDays(1)).toSecsSinceEpoch()
    at = datetime.fromtimestamp(tomorrow, UTC).replace(second=0, microsecond=0)
    service.schedule(post.id, at)
    tab = make_tab()
    open_post(qtbot, tab, post.id)

    clock = QDateTime.fromSecsSinceEpoch(int(at.timestamp())).toString("HH:mm")
    assert tab.composer.notice.isVisibleTo(tab)
    assert tab.composer.notice.text().startswith(f"Scheduled for tomorrow {clock}")

    tab.unschedule_action.trigger()
    settle(qtbot, tab)
    assert not tab.composer.notice.isVisibleTo(tab)
