"""Several images in the composer's strip: attached in order, reordered by mouse and keyboard,
removed, with alt text; another kind of attachment refused while they are there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.post_content import MAX_ALT_TEXT_CHARS
from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.drafts.attachments_strip import AltTextDialog, ImageTile
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.fakes.media_files import write_pdf
from tests.ui.drafts.attach_support import WAIT_MS
from tests.ui.drafts.formats_support import OpenDraft, attach_files, image_files, saved
from tests.ui.drafts.tab_support import open_post, settle

WIDTHS = [40, 50, 60]  # the test images differ by width, so their order can be read back


@pytest.fixture
def draft(qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService) -> OpenDraft:
    post = service.create_draft("Pictures", "Three of them")
    tab = make_tab()
    open_post(qtbot, tab, post.id)
    return OpenDraft(tab, post, service)


@pytest.fixture
def three(qtbot: QtBot, draft: OpenDraft, tmp_path: Path) -> OpenDraft:
    """The draft with three images attached in one go."""
    files = image_files(tmp_path, WIDTHS)
    assert attach_files(qtbot, draft.composer, lambda: draft.composer.attach_images(files))
    settle(qtbot, draft.tab)
    return draft


def _pictures_shown(qtbot: QtBot, tiles: list[ImageTile]) -> None:
    qtbot.waitUntil(lambda: all(not t.picture.pixmap().isNull() for t in tiles), timeout=WAIT_MS)


def _shown_widths(draft: OpenDraft) -> list[int]:
    return [t.picture.pixmap().width() for t in draft.composer.strip.tiles]


def test_several_images_are_attached_in_order_with_their_thumbnails(
    qtbot: QtBot, three: OpenDraft
) -> None:
    strip = three.composer.strip
    assert strip.isVisible()
    assert three.stored_widths() == WIDTHS
    tiles = strip.tiles
    assert [t.accessibleName() for t in tiles] == ["Image 1 of 3", "Image 2 of 3", "Image 3 of 3"]
    _pictures_shown(qtbot, tiles)
    # Decoded off the GUI thread at the strip's size, keeping each picture's proportions.
    assert _shown_widths(three) == [72, 72, 72]
    assert [t.picture.pixmap().height() for t in tiles] == [54, 43, 36]
    stored = three.service.get(three.post.id)
    assert stored.image_path == str(three.service.media_path(three.stored().images[0].path))


def test_dragging_a_thumbnail_along_the_strip_moves_the_image(
    qtbot: QtBot, three: OpenDraft
) -> None:
    strip = three.composer.strip
    first, _, last = strip.tiles
    start = first.rect().center()
    # Let go to the right of the last thumbnail: the first image becomes the last.
    beyond_last = first.mapFrom(strip.row, last.geometry().center() + QPoint(last.width() // 2, 0))
    QTest.mousePress(first, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(first, start + QPoint(12, 0))
    QTest.mouseMove(first, beyond_last)
    assert strip.marker.isVisible()  # where it will land
    QTest.mouseRelease(
        first, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, beyond_last
    )

    assert not strip.marker.isVisible()
    assert strip.tiles[-1] is first  # shown at once
    settle(qtbot, three.tab)
    assert three.stored_widths() == [50, 60, 40]
    # A press and release without moving is a click, not a move.
    QTest.mouseClick(strip.tiles[0], Qt.MouseButton.LeftButton)
    settle(qtbot, three.tab)
    assert three.stored_widths() == [50, 60, 40]


def test_the_keyboard_and_the_context_menu_move_the_focused_thumbnail(
    qtbot: QtBot, three: OpenDraft
) -> None:
    strip = three.composer.strip
    first = strip.tiles[0]
    first.setFocus()
    QTest.keyClick(first, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(first, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert strip.tiles[-1] is first
    assert QApplication.focusWidget() is first  # the focus goes with it
    settle(qtbot, three.tab)
    assert three.stored_widths() == [50, 60, 40]

    QTest.keyClick(first, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, three.tab)
    assert three.stored_widths() == [50, 40, 60]

    QTest.keyClick(first, Qt.Key.Key_Left)  # without a modifier: to the neighbour, no move
    assert QApplication.focusWidget() is strip.tiles[0]
    menu = strip.context_menu(strip.tiles[0])
    actions = {a.text().replace("&", ""): a for a in menu.actions()}
    assert not actions["Move left"].isEnabled()  # it is first already
    actions["Move right"].trigger()
    settle(qtbot, three.tab)
    assert three.stored_widths() == [40, 50, 60]


def test_removing_a_thumbnail_removes_the_image_and_its_copy(
    qtbot: QtBot, three: OpenDraft
) -> None:
    strip = three.composer.strip
    middle = three.stored().images[1]
    copy = three.service.media_path(middle.path)
    assert copy.is_file()
    strip.tiles[1].remove_button.click()
    assert len(strip.tiles) == 2
    settle(qtbot, three.tab)
    assert three.stored_widths() == [40, 60]
    assert not copy.exists()
    strip.tiles[0].setFocus()
    QTest.keyClick(strip.tiles[0], Qt.Key.Key_Delete)
    settle(qtbot, three.tab)
    assert three.stored_widths() == [60]
    assert [t.accessibleName() for t in strip.tiles] == ["Image 1 of 1"]


def _open_alt_dialog(draft: OpenDraft, index: int) -> AltTextDialog:
    draft.composer.strip.tiles[index].alt_button.click()
    dialog = draft.composer.window().findChild(AltTextDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_alt_text_is_written_in_its_dialog_with_a_counter_and_saved(
    qtbot: QtBot, three: OpenDraft
) -> None:
    dialog = _open_alt_dialog(three, 1)
    assert dialog.windowTitle() == "Alt text of image 2"
    QTest.keyClicks(dialog.editor, "A red kite")
    assert dialog.counter.text() == "10 / 4,086"
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.editor.setPlainText("x" * (MAX_ALT_TEXT_CHARS + 1))
    assert dialog.counter.text() == "4,087 / 4,086"
    assert not ok.isEnabled()
    assert "4087 characters long; LinkedIn allows 4086" in dialog.problem.text()
    dialog.editor.setPlainText("A red kite over the hill")
    ok.click()
    settle(qtbot, three.tab)

    assert [m.alt_text for m in three.stored().images] == [None, "A red kite over the hill", None]
    tile = three.composer.strip.tiles[1]
    assert tile.alt_button.text() == "Alt ✓"
    assert tile.accessibleDescription() == "Alt text: A red kite over the hill"


def test_another_kind_is_refused_with_the_domains_words_and_nothing_changes(
    qtbot: QtBot, three: OpenDraft, tmp_path: Path
) -> None:
    before = three.service.get(three.post.id)
    composer = three.composer

    composer.add_poll_button.click()
    assert composer.message.isVisible()
    assert composer.message.text() == (
        "A post holds one kind of attachment: remove the images before adding a poll."
    )
    assert not composer.poll_editor.isVisible()
    assert not composer.attach_document(write_pdf(tmp_path / "deck.pdf"))
    assert composer.message.text() == (
        "A post holds one kind of attachment: remove the images before adding a document."
    )
    composer.add_link_button.click()
    assert not composer.link_editor.isVisible()
    saved(qtbot, three.tab)
    assert three.service.get(three.post.id) == before


def test_more_than_twenty_images_are_refused_before_any_copy(
    qtbot: QtBot, three: OpenDraft, tmp_path: Path
) -> None:
    files = image_files(tmp_path, list(range(20, 38)))  # 18 more: 21 in all
    assert not three.composer.attach_images(files)
    assert three.composer.message.text() == (
        "A post holds at most 20 images; it has 3 already and you are adding 18."
    )
    assert len(three.stored().images) == 3


def test_a_new_posts_images_wait_for_its_first_save(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService, tmp_path: Path
) -> None:
    tab = make_tab()
    tab.new_post()
    composer = tab.composer
    assert composer.record is None
    files = image_files(tmp_path, [40, 50])
    assert attach_files(qtbot, composer, lambda: composer.attach_images(files))
    settle(qtbot, tab)
    assert composer.post_id is not None
    draft = OpenDraft(tab, service.get(composer.post_id), service)
    assert draft.stored_widths() == [40, 50]
    assert len(composer.strip.tiles) == 2
