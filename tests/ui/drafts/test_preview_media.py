"""The preview shows every format as LinkedIn's feed lays it out: images in their grid (1, 2, 3,
4, 5+ with "+N"), a document's carousel, a video, a poll, a link card, the first comment under
the action bar, and who may see the post; pictures decoded off the GUI thread, the newest request
winning. Real image files, PDFs, PPTX and MP4 files are written for each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QSignalSpy, QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.fold import DESKTOP, MOBILE
from linkie_desktop.domain.post_content import (
    FirstComment,
    LinkCard,
    MediaItem,
    MediaKind,
    Poll,
    PostContent,
    Visibility,
)
from linkie_desktop.ui.drafts.document_card import DocumentCard
from linkie_desktop.ui.drafts.format_cards import LinkCardView, PollCard, VideoCard
from linkie_desktop.ui.drafts.image_grid import GAP_PX, ImageGrid
from linkie_desktop.ui.drafts.preview import CARD_PADDING_PX, PostPreview
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.feed_text import css_colour, link_colour
from tests.fakes.image_files import write_png
from tests.fakes.media_files import write_docx, write_mp4, write_pdf, write_pptx

DESKTOP_EDGE = int(DESKTOP.width) + 2 * CARD_PADDING_PX  # 555: LinkedIn's feed card
MOBILE_EDGE = int(MOBILE.width) + 2 * CARD_PADDING_PX  # 375: a phone
COLOURS = ("#d9534f", "#f0ad4e", "#5cb85c", "#5bc0de", "#428bca", "#9b59b6")
TEXT = "Three things I learned shipping #buildinpublic this year."


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.close()


@pytest.fixture
def preview(qtbot: QtBot, tasks: TaskRunner) -> PostPreview:
    widget = PostPreview(tasks=tasks)
    qtbot.addWidget(widget)
    widget.resize(640, 900)
    widget.show()
    widget.show_text(TEXT)
    return widget


def _coloured_png(folder: Path, name: str, colour: str, width: int = 300, height: int = 200) -> str:
    """A real PNG of one colour (written by Qt's encoder), so a tile shows which image it is."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(folder / name))
    return name


def _images(folder: Path, count: int) -> PostContent:
    media = tuple(
        MediaItem(
            f"m{n}",
            MediaKind.IMAGE,
            _coloured_png(folder, f"photo{n}.png", COLOURS[n % len(COLOURS)]),
            n,
            alt_text=f"Photo number {n + 1}",
        )
        for n in range(count)
    )
    return PostContent(media=media)


def _grid(preview: PostPreview) -> ImageGrid:
    card = preview.media.card
    assert isinstance(card, ImageGrid)
    return card


def _decoded(qtbot: QtBot, preview: PostPreview) -> ImageGrid:
    grid = _grid(preview)
    qtbot.waitUntil(lambda: all(tile.decoded for tile in grid.tiles))
    return grid


def _centre(widget: QWidget) -> QColor:
    image = widget.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def _tile_rects(grid: ImageGrid) -> list[tuple[int, int, int, int]]:
    return [(t.x(), t.y(), t.width(), t.height()) for t in grid.tiles]


# --- images --------------------------------------------------------------------------------------


def test_one_image_fills_the_card_width_keeping_its_shape(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    write_png(tmp_path / "wide.png", 800, 400)
    item = MediaItem("a", MediaKind.IMAGE, "wide.png", 0)
    preview.show_content(PostContent(media=(item,)), tmp_path)
    grid = _decoded(qtbot, preview)
    assert _tile_rects(grid) == [(0, 0, DESKTOP_EDGE, round(DESKTOP_EDGE / 2))]
    # Edge to edge of the card, as the feed draws media: wider than the text column.
    assert grid.width() == preview.card.width() - 2 * preview.card.frameWidth()


def test_a_tall_image_is_cropped_to_four_by_five_like_the_feed(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    write_png(tmp_path / "tall.png", 300, 1200)
    item = MediaItem("a", MediaKind.IMAGE, "tall.png", 0)
    preview.show_content(PostContent(media=(item,)), tmp_path)
    grid = _decoded(qtbot, preview)
    assert _tile_rects(grid) == [(0, 0, DESKTOP_EDGE, round(DESKTOP_EDGE * 5 / 4))]


def test_two_images_stand_side_by_side(qtbot: QtBot, preview: PostPreview, tmp_path: Path) -> None:
    preview.show_content(_images(tmp_path, 2), tmp_path)
    grid = _decoded(qtbot, preview)
    (x1, y1, w1, h1), (x2, y2, w2, h2) = _tile_rects(grid)
    assert (x1, y1, y2) == (0, 0, 0)
    assert x2 == w1 + GAP_PX and x2 + w2 == DESKTOP_EDGE
    assert h1 == h2 == w1  # two squares


def test_three_images_are_one_large_over_two_small(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    preview.show_content(_images(tmp_path, 3), tmp_path)
    grid = _decoded(qtbot, preview)
    large, left, right = _tile_rects(grid)
    assert large[:3] == (0, 0, DESKTOP_EDGE)
    assert left[1] == right[1] == large[3] + GAP_PX
    assert left[0] == 0 and right[0] + right[2] == DESKTOP_EDGE
    assert left[2] * left[3] < large[2] * large[3] / 2  # each below is small


def test_four_images_are_two_by_two(qtbot: QtBot, preview: PostPreview, tmp_path: Path) -> None:
    preview.show_content(_images(tmp_path, 4), tmp_path)
    grid = _decoded(qtbot, preview)
    rects = _tile_rects(grid)
    assert {r[0] for r in rects} == {0, rects[0][2] + GAP_PX}
    assert {r[1] for r in rects} == {0, rects[0][3] + GAP_PX}
    assert not any(tile.more for tile in grid.tiles)


@pytest.mark.parametrize("count", [5, 7, 20])
def test_five_or_more_show_four_and_plus_n_over_the_last(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path, count: int
) -> None:
    preview.show_content(_images(tmp_path, count), tmp_path)
    grid = _decoded(qtbot, preview)
    assert len(grid.tiles) == 4
    more = grid.tiles[-1].more
    assert more is not None and more.isVisible()
    assert more.text() == f"+{count - 4}"
    assert more.geometry() == grid.tiles[-1].rect()  # over the whole tile
    assert all(tile.more is None for tile in grid.tiles[:-1])


def test_tiles_follow_the_posts_order_with_alt_text_for_screen_readers(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    content = _images(tmp_path, 4)
    reordered = PostContent(media=(content.media[2], content.media[0], *content.media[1::2]))
    preview.show_content(reordered, tmp_path)
    grid = _decoded(qtbot, preview)
    assert [tile.item.id for tile in grid.tiles] == [m.id for m in reordered.media]
    for tile, item in zip(grid.tiles, reordered.media, strict=True):
        assert _centre(tile).name() == COLOURS[int(item.id[1:]) % len(COLOURS)]
        assert tile.accessibleDescription() == item.alt_text
    assert grid.tiles[0].accessibleName() == "Image 1 of 4"


def test_switching_to_mobile_lays_the_tiles_out_at_the_phones_width(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    preview.show_content(_images(tmp_path, 3), tmp_path)
    grid = _decoded(qtbot, preview)
    assert grid.width() == DESKTOP_EDGE
    preview.layout_buttons["Mobile"].click()
    assert grid.width() == MOBILE_EDGE
    large, _left, right = _tile_rects(grid)
    assert large[2] == MOBILE_EDGE and right[0] + right[2] == MOBILE_EDGE
    preview.layout_buttons["Desktop"].click()
    assert _tile_rects(grid)[0][2] == DESKTOP_EDGE


def test_a_newer_show_content_supersedes_one_still_decoding(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path, tasks: TaskRunner
) -> None:
    older = _images(tmp_path, 2)
    newer = PostContent(
        media=(MediaItem("n", MediaKind.IMAGE, _coloured_png(tmp_path, "new.png", "#101010"), 0),)
    )
    spy = QSignalSpy(preview.media.pictures_shown)
    preview.show_content(older, tmp_path)
    preview.show_content(newer, tmp_path)  # before the first answer could be delivered
    qtbot.waitUntil(lambda: tasks.pending == 0)
    grid = _decoded(qtbot, preview)
    assert [tile.item.id for tile in grid.tiles] == ["n"]
    assert _centre(grid.tiles[0]).name() == "#101010"
    assert spy.count() == 1  # the older answer was dropped, not drawn somewhere


def test_showing_the_same_post_again_keeps_its_pictures(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path, tasks: TaskRunner
) -> None:
    content = _images(tmp_path, 2)
    preview.show_content(content, tmp_path)
    _decoded(qtbot, preview)
    preview.show_content(PostContent(media=content.media[::-1]), tmp_path)
    # Reordered: the same files, decoded before: shown at once, no blank tiles, no new work.
    assert all(tile.decoded for tile in _grid(preview).tiles)
    assert tasks.pending == 0


# --- a document ----------------------------------------------------------------------------------


def _document(preview: PostPreview, tmp_path: Path, name: str, pages: int | None) -> DocumentCard:
    item = MediaItem("d", MediaKind.DOCUMENT, name, 0, title="Twelve lessons", pages=pages)
    preview.show_content(PostContent(media=(item,)), tmp_path)
    card = preview.media.card
    assert isinstance(card, DocumentCard)
    return card


def test_a_pdf_is_a_carousel_with_title_page_count_and_its_first_page(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    write_pdf(tmp_path / "deck.pdf", pages=12)
    card = _document(preview, tmp_path, "deck.pdf", 12)
    assert card.title_bar.text() == "Twelve lessons • 12 pages"
    qtbot.waitUntil(lambda: card.view.rendered)
    assert card.view.page_index == 0
    assert card.counter.text() == "1 of 12"
    assert not card.previous.isEnabled() and card.next.isEnabled()
    # A blank PDF page is paper-white, not the card's grey showing through.
    assert _centre(card.view).name() == "#ffffff"


def test_the_arrows_and_the_arrow_keys_move_through_the_pages(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    write_pdf(tmp_path / "deck.pdf", pages=3)
    card = _document(preview, tmp_path, "deck.pdf", 3)
    qtbot.waitUntil(lambda: card.view.rendered)

    QTest.mouseClick(card.next, Qt.MouseButton.LeftButton)
    assert card.counter.text() == "2 of 3"
    qtbot.waitUntil(lambda: card.view.page_index == 1)

    card.next.setFocus()  # a focusable button: Tab reaches it, Space presses it
    assert card.next.focusPolicy() & Qt.FocusPolicy.TabFocus
    QTest.keyClick(card.next, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: card.view.page_index == 2)
    assert not card.next.isEnabled()

    card.setFocus()
    QTest.keyClick(card, Qt.Key.Key_Left)
    assert card.counter.text() == "2 of 3"
    assert card.view.page_index == 1  # rendered before: shown at once


@pytest.mark.parametrize(
    ("writer", "name", "kind"),
    [(write_pptx, "slides.pptx", "PPTX"), (write_docx, "notes.docx", "DOCX")],
)
def test_a_document_without_a_renderer_shows_neutral_pages_with_its_type(
    preview: PostPreview, tmp_path: Path, writer: Callable[[Path], Path], name: str, kind: str
) -> None:
    writer(tmp_path / name)
    card = _document(preview, tmp_path, name, 4)
    assert card.kind == kind
    assert card.title_bar.text() == "Twelve lessons • 4 pages"
    assert not card.view.rendered and card.view.caption == "Page 1 of 4"
    card.next.click()
    assert card.view.caption == "Page 2 of 4"
    assert preview.media.card is card and card.view.page_index is None


def test_a_document_whose_pages_were_not_counted_says_so(
    preview: PostPreview, tmp_path: Path
) -> None:
    card = _document(preview, tmp_path, "old.doc", None)
    assert card.title_bar.text() == "Twelve lessons • Pages not counted"
    assert not card.next.isEnabled() and not card.previous.isEnabled()


# --- video, poll, link ---------------------------------------------------------------------------


def test_a_video_is_a_sixteen_by_nine_card_with_title_and_length(
    preview: PostPreview, tmp_path: Path
) -> None:
    write_mp4(tmp_path / "clip.mp4", seconds=83.4)
    item = MediaItem("v", MediaKind.VIDEO, "clip.mp4", 0, title="Calendar demo", duration_s=83.4)
    preview.show_content(PostContent(media=(item,)), tmp_path)
    card = preview.media.card
    assert isinstance(card, VideoCard)
    assert card.title_label.text() == "Calendar demo"
    assert card.length_label.text() == "01:23"
    assert (card.width(), card.height()) == (DESKTOP_EDGE, round(DESKTOP_EDGE * 9 / 16))
    assert card.accessibleName() == "Video: Calendar demo, 01:23"
    preview.set_feed_layout(MOBILE)
    assert (card.width(), card.height()) == (MOBILE_EDGE, round(MOBILE_EDGE * 9 / 16))


@pytest.mark.parametrize(
    ("days", "left"), [(1, "1 day"), (3, "3 days"), (7, "1 week"), (14, "2 weeks")]
)
def test_a_poll_shows_its_question_options_and_how_long_it_runs(
    preview: PostPreview, tmp_path: Path, days: int, left: str
) -> None:
    poll = Poll("Which do you read first?", ("The hook", "The image", "The comments"), days)
    preview.show_content(PostContent(poll=poll), tmp_path)
    card = preview.media.card
    assert isinstance(card, PollCard)
    assert card.question.text() == poll.question
    assert [bar.text() for bar in card.options] == list(poll.options)
    assert card.footer.text() == f"0 votes • {left} left"
    assert f"color: {css_colour(link_colour(preview.palette()))}" in card.styleSheet()
    assert card.width() == int(DESKTOP.width)  # in the text column, like the text


def test_a_link_card_shows_thumbnail_title_and_site(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    thumbnail = _coloured_png(tmp_path, "thumb.png", COLOURS[3], 1200, 627)
    link = LinkCard("https://www.example.com/blog/a", "How we ship", thumbnail_path=thumbnail)
    preview.show_content(PostContent(link=link), tmp_path)
    card = preview.media.card
    assert isinstance(card, LinkCardView)
    assert card.title.text() == "How we ship"
    assert card.host.text() == "example.com"
    qtbot.waitUntil(lambda: not card.thumbnail.pixmap().isNull())
    assert _centre(card.thumbnail).name() == COLOURS[3]
    # Above the title and site, LinkedIn's organic card puts the picture beside them.
    assert card.thumbnail.geometry().right() < card.title.geometry().left()


def test_a_link_card_without_a_thumbnail_is_words_only(
    preview: PostPreview, tmp_path: Path
) -> None:
    preview.show_content(PostContent(link=LinkCard("https://example.org/x", "Notes")), tmp_path)
    card = preview.media.card
    assert isinstance(card, LinkCardView)
    assert not card.thumbnail.isVisible() and card.host.text() == "example.org"


def test_a_text_only_post_has_no_media_block(preview: PostPreview, tmp_path: Path) -> None:
    preview.show_content(_images(tmp_path, 2), tmp_path)
    preview.show_content(PostContent(), tmp_path)
    assert preview.media.card is None and not preview.media.isVisible()


# --- the first comment and who may see the post ------------------------------------------------


def test_the_first_comment_is_under_the_action_bar_as_plain_text(
    qtbot: QtBot, preview: PostPreview, tmp_path: Path
) -> None:
    comment = "Full notes: https://example.com/n #buildinpublic " + "and more words " * 12
    preview.show_profile("Ada Lovelace", None)
    preview.show_content(PostContent(first_comment=FirstComment(comment)), tmp_path)
    view = preview.first_comment
    assert view.isVisible()
    assert view.text_label.text() == comment
    assert view.text_label.textFormat() == Qt.TextFormat.PlainText  # no blue hashtag, no link
    assert view.name_label.text() == "Ada Lovelace"
    assert [label.text() for label in preview.action_bar.labels] == [
        "Like",
        "Comment",
        "Repost",
        "Send",
    ]
    assert view.y() > preview.action_bar.y()
    # The long comment wraps and is shown whole on a phone, and the post's text above it keeps
    # its lines (an aligned card got its size hint, which ignores wrapping, and squeezed both).
    preview.set_feed_layout(MOBILE)
    label, body = view.text_label, preview._body
    assert label.heightForWidth(label.width()) > label.fontMetrics().height() * 2
    qtbot.waitUntil(
        lambda: (
            label.height() >= label.heightForWidth(label.width())
            and body.height() >= body.sizeHint().height()
        )
    )
    preview.show_content(PostContent(), tmp_path)
    assert not view.isVisible()


def test_the_hidden_rest_is_shown_whole_when_it_wraps(qtbot: QtBot, preview: PostPreview) -> None:
    preview.set_feed_layout(MOBILE)
    preview.show_text(TEXT + " And the rest goes on for a while, " * 6)
    hidden = preview._hidden
    assert hidden.heightForWidth(hidden.width()) > hidden.fontMetrics().height() * 2
    qtbot.waitUntil(lambda: hidden.height() >= hidden.heightForWidth(hidden.width()))


@pytest.mark.parametrize(
    ("visibility", "icon", "words"),
    [(Visibility.PUBLIC, "🌐", "Anyone"), (Visibility.CONNECTIONS, "👥", "connections")],
)
def test_the_header_shows_who_may_see_the_post(
    preview: PostPreview, tmp_path: Path, visibility: Visibility, icon: str, words: str
) -> None:
    preview.show_content(PostContent(visibility=visibility), tmp_path)
    assert preview.time_label.text() == f"now • {icon}"
    assert words in preview.time_label.accessibleDescription()
    preview.show_time(None)  # the time again: the icon stays
    assert preview.time_label.text().endswith(icon)
