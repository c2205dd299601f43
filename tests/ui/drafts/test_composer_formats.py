"""The composer's other formats and extras: a document with its pages, a video, a poll, the first
comment, the visibility, and all of it read back when the post is opened again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post, PostMedia
from linkie_desktop.domain.post_content import MAX_COMMENT_CHARS, CommentStatus, Poll, Visibility
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.drafts.first_comment import PLACEHOLDER
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.fakes.media_files import write_docx, write_mp4, write_pdf, write_pptx
from tests.ui.drafts.attach_support import WAIT_MS
from tests.ui.drafts.formats_support import OpenDraft, attach_files, image_files, saved
from tests.ui.drafts.tab_support import open_post, settle


@pytest.fixture
def draft(qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService) -> OpenDraft:
    post = service.create_draft("Formats", "Every kind of post")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    return OpenDraft(tab, post, service)


def _reopen(qtbot: QtBot, draft: OpenDraft) -> None:
    """Show another post, then this one again: what is shown is what was stored."""
    other = draft.service.create_draft("Other", "Another post")
    open_post(qtbot, draft.tab, other.id)
    open_post(qtbot, draft.tab, draft.post.id)


# --- documents -------------------------------------------------------------------------------


def test_a_pdf_shows_its_title_facts_and_first_pages(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    pdf = write_pdf(tmp_path / "Quarterly review.pdf", pages=3)
    assert attach_files(qtbot, composer, lambda: composer.attach_document(pdf))
    settle(qtbot, draft.tab)

    card = composer.document_card
    assert card.isVisible()
    assert card.title_edit.text() == "Quarterly review"  # the file's name until one is typed
    assert card.facts.text().startswith("PDF document · 3 pages · ")
    qtbot.waitUntil(lambda: len(card.page_pictures) == 3, timeout=WAIT_MS)
    page = card.page_pictures[0].pixmap()
    assert (page.width(), page.height()) == (74, 96)  # a US Letter page, rendered by QtPdf
    stored = draft.stored().media
    assert [(m.kind.value, m.title, m.pages) for m in stored] == [
        ("document", "Quarterly review", 3)
    ]


def test_a_document_title_is_saved_as_typed_and_an_empty_one_is_refused(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    deck = write_pptx(tmp_path / "deck.pptx", slides=4)
    assert attach_files(qtbot, composer, lambda: composer.attach_document(deck))
    settle(qtbot, draft.tab)
    card = composer.document_card
    assert card.facts.text().startswith("PowerPoint presentation · 4 slides · ")
    assert card.page_pictures == []  # Qt renders PDF only: the type and count say the rest

    card.title_edit.selectAll()
    QTest.keyClicks(card.title_edit, "Ten lessons")
    saved(qtbot, draft.tab)
    assert draft.stored().media[0].title == "Ten lessons"

    card.title_edit.selectAll()
    QTest.keyClick(card.title_edit, Qt.Key.Key_Backspace)  # emptied: LinkedIn needs a title
    assert card.problem.isVisible()
    assert card.problem.text().startswith("The document needs a title")
    saved(qtbot, draft.tab)
    assert draft.stored().media[0].title == "Ten lessons"  # the last good one stays


def test_a_word_document_replaces_the_pdf(qtbot: QtBot, draft: OpenDraft, tmp_path: Path) -> None:
    composer = draft.composer
    pdf, docx = write_pdf(tmp_path / "a.pdf"), write_docx(tmp_path / "Report.docx", pages=2)
    assert attach_files(qtbot, composer, lambda: composer.attach_document(pdf))
    assert attach_files(qtbot, composer, lambda: composer.attach_document(docx))
    settle(qtbot, draft.tab)
    assert [m.title for m in draft.stored().media] == ["Report"]
    assert composer.document_card.facts.text().startswith("Word document · 2 pages")
    composer.document_card.remove_button.click()
    settle(qtbot, draft.tab)
    assert draft.stored().media == ()
    assert not composer.document_card.isVisible()


# --- video -----------------------------------------------------------------------------------


def test_a_video_shows_its_length_and_size_and_its_title_is_saved(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    video = write_mp4(tmp_path / "Launch day.mp4", seconds=75.4, size_bytes=1_250_000)
    assert attach_files(qtbot, composer, lambda: composer.attach_video(video))
    settle(qtbot, draft.tab)
    card = composer.video_card
    assert card.isVisible() and not composer.document_card.isVisible()
    assert card.facts.text() == "MP4 video · 1:15 · 1.3 MB"  # sizes round up, as limits do
    assert card.title_edit.text() == "Launch day"
    card.title_edit.setFocus()
    QTest.keyClicks(card.title_edit, " (director's cut)")
    saved(qtbot, draft.tab)
    assert draft.stored().media[0].title == "Launch day (director's cut)"
    # A video is one kind: images are refused while it is there.
    assert not composer.attach_images(image_files(tmp_path, [40]))
    assert composer.message.text() == (
        "A post holds one kind of attachment: remove the video before adding an image."
    )


def test_a_video_linkedin_would_refuse_is_explained_and_nothing_is_attached(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    short = write_mp4(tmp_path / "blink.mp4", seconds=1.0)
    assert not attach_files(qtbot, composer, lambda: composer.attach_video(short))
    assert composer.message.text() == (
        "blink.mp4 is 1.0 seconds long; LinkedIn takes videos of 3 seconds to 30 minutes."
    )
    assert draft.stored().media == ()
    assert composer.add_video_button.isEnabled()


# --- poll ------------------------------------------------------------------------------------


def test_a_poll_is_saved_once_it_is_whole_with_its_counters(qtbot: QtBot, draft: OpenDraft) -> None:
    composer = draft.composer
    composer.add_poll_button.click()
    poll = composer.poll_editor
    assert poll.isVisible()
    assert poll.state.text() == "Not saved yet: The poll needs a question."
    QTest.keyClicks(poll.question, "Tabs or spaces?")
    assert poll.question_counter.text() == "15 / 140"
    QTest.keyClicks(poll.options[0], "Tabs")
    assert (
        poll.state.text() == "Not saved yet: Option 2 of the poll is empty: write it or remove it."
    )
    saved(qtbot, draft.tab)
    assert draft.stored().poll is None  # not a poll LinkedIn takes yet

    QTest.keyClicks(poll.options[1], "Spaces")
    assert poll.option_counters[1].text() == "6 / 30"
    saved(qtbot, draft.tab)
    assert draft.stored().poll == Poll("Tabs or spaces?", ("Tabs", "Spaces"), 7)
    assert poll.state.text() == ""

    poll.add_option_button.click()
    QTest.keyClicks(poll.options[2], "Both")
    poll.days.setCurrentIndex(poll.days.findData(3))
    poll.days.activated.emit(poll.days.currentIndex())
    saved(qtbot, draft.tab)
    assert draft.stored().poll == Poll("Tabs or spaces?", ("Tabs", "Spaces", "Both"), 3)

    poll.add_option_button.click()
    assert not poll.add_option_button.isEnabled()  # four at most
    QTest.keyClicks(poll.options[3], "Neither")
    poll.remove_option_buttons[0].click()
    saved(qtbot, draft.tab)
    assert draft.stored().poll == Poll("Tabs or spaces?", ("Spaces", "Both", "Neither"), 3)
    assert [o.accessibleName() for o in poll.options] == ["Option 1", "Option 2", "Option 3"]

    _reopen(qtbot, draft)
    assert poll.isVisible()
    assert [o.text() for o in poll.options] == ["Spaces", "Both", "Neither"]
    assert poll.days.currentData() == 3

    poll.remove_button.click()
    settle(qtbot, draft.tab)
    assert draft.stored().poll is None
    assert not poll.isVisible()


# --- first comment and visibility --------------------------------------------------------


def test_the_first_comment_has_its_own_counter_and_is_saved_as_typed(
    qtbot: QtBot, draft: OpenDraft
) -> None:
    box = draft.composer.first_comment
    assert box.editor.placeholderText() == PLACEHOLDER
    assert "Plain text: hashtags here are not links" in PLACEHOLDER
    box.editor.setFocus()
    QTest.keyClicks(box.editor, "Link in here: https://example.com #growth")
    assert box.counter.text() == "41 / 1,250"
    assert draft.composer.counter.text() == "18 / 3000"  # the post's own count is apart
    saved(qtbot, draft.tab)
    comment = draft.stored().first_comment
    assert comment is not None and comment.text == "Link in here: https://example.com #growth"
    assert draft.composer.preview.first_comment.isVisible()  # the feed card shows it, once saved

    box.editor.setPlainText("x" * (MAX_COMMENT_CHARS + 1))
    assert box.counter.text() == "1,251 / 1,250"
    assert box.state.text() == (
        "Not saved: The first comment is 1251 characters long; LinkedIn allows 1250."
    )
    saved(qtbot, draft.tab)
    assert draft.stored().first_comment == comment

    box.editor.clear()
    saved(qtbot, draft.tab)
    assert draft.stored().first_comment is None


def test_visibility_is_saved_and_a_new_post_takes_the_settings_default(
    qtbot: QtBot, draft: OpenDraft
) -> None:
    composer = draft.composer
    assert composer.visibility.currentText() == "Anyone"
    composer.visibility.setCurrentIndex(composer.visibility.findData(Visibility.CONNECTIONS))
    composer.visibility.activated.emit(composer.visibility.currentIndex())
    settle(qtbot, draft.tab)
    assert draft.stored().visibility is Visibility.CONNECTIONS

    draft.tab.preferences.save(Preferences(default_visibility=Visibility.CONNECTIONS))
    draft.tab.new_post()
    assert composer.visibility.currentData() == Visibility.CONNECTIONS  # what it will get
    QTest.keyClicks(composer.body_edit, "Only for my network")
    saved(qtbot, draft.tab)
    assert composer.post_id is not None
    assert draft.service.content(composer.post_id).visibility is Visibility.CONNECTIONS


def test_everything_is_shown_again_when_the_post_is_opened_again(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    files = image_files(tmp_path, [40, 50])
    assert attach_files(qtbot, composer, lambda: composer.attach_images(files))
    settle(qtbot, draft.tab)
    image_id = draft.stored().images[1].id
    draft.service.set_alt_text(draft.post.id, image_id, "Second picture")
    draft.service.set_first_comment(draft.post.id, "Sources in the comments")
    draft.service.set_visibility(draft.post.id, Visibility.CONNECTIONS)

    _reopen(qtbot, draft)
    tiles = composer.strip.tiles
    assert [t.accessibleDescription() for t in tiles] == [
        "No alt text yet",
        "Alt text: Second picture",
    ]
    assert composer.first_comment.text == "Sources in the comments"
    assert composer.visibility.currentText() == "Connections only"
    other = draft.service.create_draft("Plain", "Just text")
    open_post(qtbot, draft.tab, other.id)
    assert not composer.strip.isVisible()
    assert composer.first_comment.text == ""
    assert composer.visibility.currentText() == "Anyone"


# --- the counter -----------------------------------------------------------------------------


def test_the_counter_counts_a_mention_by_its_name(qtbot: QtBot, draft: OpenDraft) -> None:
    composer = draft.composer
    composer.body_edit.setPlainText("Thanks @[Ada Lovelace](urn:li:person:a1B2c3)!")
    assert composer.counter.text() == "20 / 3000"  # "Thanks Ada Lovelace!"


# --- uploads -----------------------------------------------------------------------------------


def _uploaded(service: PostService, media_id: str, sent: int) -> None:
    """What the publisher writes as a video's bytes go (services/publisher_media.py)."""
    with transaction(service.engine) as session:
        session.execute(
            update(PostMedia).where(PostMedia.id == media_id).values(uploaded_bytes=sent)
        )


def test_the_status_line_says_how_far_the_video_upload_has_come(
    qtbot: QtBot, draft: OpenDraft, signals: AppSignals, tmp_path: Path
) -> None:
    service = draft.service
    service.set_video(draft.post.id, write_mp4(tmp_path / "v.mp4", size_bytes=200_000), "Demo")
    service.schedule(draft.post.id, datetime.now(UTC) + timedelta(minutes=20))
    video = draft.stored().media[0]
    _uploaded(service, video.id, 90_000)
    _reopen(qtbot, draft)
    status = draft.composer.upload_state
    assert status.isVisible()
    assert status.text() == "Uploading video: 45 %"

    _uploaded(service, video.id, 180_000)
    signals.announce_posts([draft.post.id])  # as the publisher driver does after each write
    qtbot.waitUntil(lambda: status.text() == "Uploading video: 90 %", timeout=WAIT_MS)
    other = service.create_draft("Text", "No uploads here")
    open_post(qtbot, draft.tab, other.id)
    assert not status.isVisible()


# --- keyboard and names ------------------------------------------------------------------------

_INTERACTIVE = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit)


def _unnamed(composer: Composer) -> list[QWidget]:
    return [
        widget
        for widget in composer.findChildren(QWidget)
        if isinstance(widget, _INTERACTIVE)
        and widget.isVisibleTo(composer)
        and not isinstance(widget.parent(), QComboBox)
        and (not widget.objectName() or not widget.accessibleName())
    ]


def test_every_control_of_every_piece_is_named(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    files = image_files(tmp_path, [40, 50])
    assert attach_files(qtbot, composer, lambda: composer.attach_images(files))
    settle(qtbot, draft.tab)
    assert _unnamed(composer) == []
    for tile in composer.strip.tiles:
        tile.remove_button.click()
    settle(qtbot, draft.tab)
    composer.add_poll_button.click()
    composer.poll_editor.add_option_button.click()
    assert _unnamed(composer) == []
    composer.poll_editor.remove_button.click()
    composer.add_link_button.click()
    assert _unnamed(composer) == []
    composer.link_editor.remove_button.click()
    pdf = write_pdf(tmp_path / "a.pdf")
    assert attach_files(qtbot, composer, lambda: composer.attach_document(pdf))
    assert _unnamed(composer) == []


def test_tab_goes_title_text_aids_attachments_comment_visibility(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    files = image_files(tmp_path, [40])
    assert attach_files(qtbot, composer, lambda: composer.attach_images(files))
    settle(qtbot, draft.tab)
    assert composer.aids is not None
    tile = composer.strip.tiles[0]
    expected = [
        composer.body_edit,
        *composer.aids.focus_order,
        *composer.add_buttons,
        tile,
        tile.alt_button,
        tile.remove_button,
        composer.first_comment.editor,
        composer.visibility,
    ]
    composer.title_edit.setFocus()
    seen = []
    for _ in expected:
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected


def test_the_spell_checkers_underlining_is_no_edit_and_saves_nothing(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    tab = make_tab()
    aids = tab.composer.aids
    assert aids is not None
    tab.new_post()
    aids.highlighter.rehighlight()  # what a dictionary loaded meanwhile does to the text
    assert not tab.composer.dirty
    settle(qtbot, tab)
    assert tab.composer.record is None
    assert service.list() == []


# --- a published post ----------------------------------------------------------------------


def _published(service: PostService, post_id: str, **columns: object) -> None:
    """What the publisher writes once LinkedIn took the post (and its comment's outcome)."""
    with transaction(service.engine) as session:
        session.execute(
            update(Post)
            .where(Post.id == post_id)
            .values(
                status=PostStatus.PUBLISHED,
                linkedin_post_urn="urn:li:share:7001",
                published_at=datetime.now(UTC),
                **columns,
            )
        )


def test_a_failed_first_comment_says_why_and_retry_comment_sends_it_again(
    qtbot: QtBot, draft: OpenDraft
) -> None:
    service = draft.service
    service.set_first_comment(draft.post.id, "Sources below")
    _published(
        service,
        draft.post.id,
        first_comment_status=CommentStatus.FAILED.value,
        first_comment_error="LinkedIn answered 500 (server error)",
    )
    _reopen(qtbot, draft)
    box = draft.composer.first_comment
    assert box.editor.isReadOnly()
    assert box.state.text() == "The comment was not sent: LinkedIn answered 500 (server error)"
    assert box.retry_button.isVisible()

    box.retry_button.click()
    settle(qtbot, draft.tab)
    comment = draft.stored().first_comment
    assert comment is not None and comment.status is CommentStatus.PENDING
    assert not box.retry_button.isVisible()
    assert draft.service.get(draft.post.id).status == PostStatus.PUBLISHED  # never re-sent


def test_a_published_posts_attachments_cannot_be_changed(
    qtbot: QtBot, draft: OpenDraft, tmp_path: Path
) -> None:
    composer = draft.composer
    files = image_files(tmp_path, [40, 50])
    assert attach_files(qtbot, composer, lambda: composer.attach_images(files))
    settle(qtbot, draft.tab)
    _published(draft.service, draft.post.id)
    _reopen(qtbot, draft)
    before = draft.service.get(draft.post.id)
    first = composer.strip.tiles[0]
    assert not first.remove_button.isEnabled() and not first.alt_button.isEnabled()
    assert not any(button.isEnabled() for button in composer.add_buttons)
    assert not composer.visibility.isEnabled()
    first.setFocus()
    QTest.keyClick(first, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(first, Qt.Key.Key_Delete)
    assert composer.strip.tiles[0] is first and len(composer.strip.tiles) == 2
    settle(qtbot, draft.tab)
    assert draft.service.get(draft.post.id) == before
