"""The composer's preview: the feed's fold measured in the feed's font, at the feed's width,
Desktop / Mobile, LinkedIn's blue words, escaping, and the header (name, picture, time)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPixmap, QTextDocument, QTextOption
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.fold import (
    DESKTOP,
    LAYOUTS,
    MOBILE,
    SEE_MORE,
    FeedLayout,
    fold_index,
    lines,
)
from linkie_desktop.domain.little_text import mention, reader_text
from linkie_desktop.ui.drafts.preview import LAYOUT_KEY, PostPreview, time_text
from linkie_desktop.ui.widgets.feed_text import feed_font, feed_measure
from tests.calendar_support import system_zone
from tests.ui.palettes import dark_palette

ADA = mention("Ada Lovelace", "urn:li:person:ada123")
LONG_FIRST_LINE = (
    "Most side projects quietly die. Not because the idea was bad, but because nobody talked "
    "to a single customer before the launch, and by then the money and the patience were gone. "
    "Here is what I do instead, every time."
)
MANY_SHORT_LINES = "One.\nTwo.\nThree.\nFour.\nFive."
WITH_EMOJI = "🚀 Launch day! 🎉🎉🎉 " * 12
WITH_BLANK_LINES = "A hook line.\n\nThe second paragraph starts here and goes on.\n\nA third."
MIXED = (
    f"Thanks {ADA} for the idea behind #buildinpublic — notes at https://example.com/a#b, "
    "and C# or #1 are just text. " * 3
)
SAMPLES = (LONG_FIRST_LINE, MANY_SHORT_LINES, WITH_EMOJI, WITH_BLANK_LINES, MIXED)
# Texts without a hyphen or an address: Qt (like browsers) may break a line after "-" or "/",
# where domain/fold.py's `lines` breaks only at spaces (reported to its owner).
WRAP_SAMPLES = (LONG_FIRST_LINE, MANY_SHORT_LINES, WITH_EMOJI, WITH_BLANK_LINES)
LIGHT_BLUE = QColor("#0A66C2")
DARK_BLUE = QColor("#71B7FB")


@pytest.fixture
def preview(qtbot: QtBot) -> PostPreview:
    widget = PostPreview()
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    return widget


@pytest.fixture
def dark(qtbot: QtBot) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(dark_palette())
    yield
    app.setPalette(before)


def _fragments(markup: str) -> list[tuple[str, QColor, bool]]:
    """(text, colour, bold) of each run of the markup, read back by Qt's own HTML parser."""
    document = QTextDocument()
    document.setHtml(markup)
    found: list[tuple[str, QColor, bool]] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                form = fragment.charFormat()
                found.append((fragment.text(), form.foreground().color(), form.fontWeight() > 500))
            it += 1
        block = block.next()
    return found


def _blue_words(markup: str, blue: QColor) -> list[str]:
    return [text for text, colour, _ in _fragments(markup) if colour.rgb() == blue.rgb()]


def _drawn_lines(preview: PostPreview) -> list[str]:
    """The lines the body label draws (Qt's line separators are the lines of a pre block)."""
    document = QTextDocument()
    document.setHtml(preview._body.text())
    return re.split("[\n\u2028]", document.toPlainText())


# --- the fold --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_the_fold_is_the_domain_rule_measured_in_the_feed_font(
    preview: PostPreview, text: str, layout: FeedLayout
) -> None:
    preview.set_feed_layout(layout)
    preview.show_text(text)

    seen = reader_text(text)
    cut = fold_index(seen, layout, feed_measure())
    end = len(seen) if cut is None else cut
    assert preview.shown_text() == seen[:end]
    # What is drawn is the domain's own lines up to the fold, "…see more" ending the last.
    expected = [
        seen[line.start : min(line.end, end)]
        for line in lines(seen, layout.width, feed_measure())
        if line.start < end
    ]
    if cut is not None:
        expected[-1] += SEE_MORE
    assert _drawn_lines(preview) == expected
    assert len(expected) <= layout.lines


def test_the_feed_font_wraps_where_the_fold_rule_wraps(qtbot: QtBot) -> None:
    """The measure agrees with Qt's own line breaking in that font: a text laid out by Qt at the
    feed's width breaks its lines exactly where domain/fold.py's `lines` does."""
    for layout in LAYOUTS:
        for text in WRAP_SAMPLES:
            seen = reader_text(text)
            document = QTextDocument()
            document.setDefaultFont(feed_font())
            document.setDocumentMargin(0)
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            document.setDefaultTextOption(option)
            document.setPlainText(seen)
            document.setTextWidth(layout.width)
            document.size()  # lays it out
            qt_starts: list[int] = []
            block = document.begin()
            while block.isValid():
                laid = block.layout()
                for index in range(laid.lineCount()):
                    qt_starts.append(block.position() + laid.lineAt(index).textStart())
                block = block.next()
            # Qt counts UTF-16 units; Python counts code points (an emoji is two units).
            units = [
                i for i, char in enumerate(seen) for _ in range(2 if ord(char) > 0xFFFF else 1)
            ]
            units.append(len(seen))
            domain_starts = [line.start for line in lines(seen, layout.width, feed_measure())]
            assert [units[start] for start in qt_starts] == domain_starts, (layout.name, text)


def test_the_fold_never_cuts_a_word(preview: PostPreview) -> None:
    """The old "projects quietl …see more / y die.": for every lead-in length, in both
    columns, the text shown ends with a whole word and the hidden rest starts at a space."""
    for layout in LAYOUTS:
        preview.set_feed_layout(layout)
        for lead in range(0, 40):  # "x" * 40 is still narrower than the mobile column
            text = "x" * lead + " " + LONG_FIRST_LINE * 2
            preview.show_text(text)
            shown = preview.shown_text()
            assert shown, (layout.name, lead)
            assert text[len(shown)].isspace(), (layout.name, lead, shown[-12:])
            assert not shown[-1].isspace()
            assert preview.feed.hidden.lstrip().startswith(text[len(shown) :].lstrip()[:1])


def test_mobile_shows_less_and_the_switch_works_from_the_keyboard(
    qtbot: QtBot, tmp_path: Path
) -> None:
    state = QSettings(str(tmp_path / "window-state.ini"), QSettings.Format.IniFormat)
    preview = PostPreview(state)
    qtbot.addWidget(preview)
    preview.show()
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    preview.show_text(LONG_FIRST_LINE)
    on_desktop = preview.shown_text()
    assert preview.feed_layout == DESKTOP

    # A segmented switch: Tab reaches the chosen button, the arrow keys move the choice.
    desktop_button = preview.layout_buttons[DESKTOP.name]
    mobile_button = preview.layout_buttons[MOBILE.name]
    preview.setFocus()
    QTest.keyClick(preview, Qt.Key.Key_Tab)
    assert desktop_button.hasFocus()
    QTest.keyClick(desktop_button, Qt.Key.Key_Right)
    assert mobile_button.hasFocus()

    assert preview.feed_layout == MOBILE
    assert mobile_button.isChecked() and not desktop_button.isChecked()
    on_mobile = preview.shown_text()
    assert on_desktop.startswith(on_mobile) and len(on_mobile) < len(on_desktop)
    assert preview._body.width() == 343
    assert preview.card.contentsRect().width() == 343 + 2 * 16  # the padding, inside the frame
    # Remembered: the next preview opens on mobile.
    assert state.value(LAYOUT_KEY) == MOBILE.name
    again = PostPreview(state)
    qtbot.addWidget(again)
    assert again.feed_layout == MOBILE

    QTest.keyClick(mobile_button, Qt.Key.Key_Left)
    assert preview.feed_layout == DESKTOP
    assert preview.shown_text() == on_desktop
    assert preview._body.width() == 523


def test_a_short_post_shows_whole_without_see_more(preview: PostPreview) -> None:
    preview.show_text("Short and sweet.")
    assert SEE_MORE not in preview.body_html()
    assert not preview._hidden.isVisible()
    assert _drawn_lines(preview) == ["Short and sweet."]


def test_the_hidden_rest_is_below_muted_and_labelled(preview: PostPreview) -> None:
    preview.show_text(MANY_SHORT_LINES)
    assert _drawn_lines(preview) == ["One.", "Two.", "Three." + SEE_MORE]
    assert preview.hidden_heading.isVisible() and preview._hidden.isVisible()
    assert "see more" in preview.hidden_heading.text()
    document = QTextDocument()
    document.setHtml(preview._hidden.text())
    assert document.toPlainText() == "Four.\nFive."
    hidden = _fragments(preview._hidden.text())
    text_colour = preview.palette().color(preview.palette().ColorRole.Text)
    assert all(colour.rgb() != text_colour.rgb() for _, colour, _ in hidden)


# --- LinkedIn's blue, and nothing typed is markup ----------------------------------------------


def test_hashtags_mentions_and_links_are_in_linkedins_blue(preview: PostPreview) -> None:
    preview.show_text(f"Hi {ADA}! #buildinpublic, see https://example.com/x#frag — C# and #1 stay.")
    assert _blue_words(preview.body_html(), LIGHT_BLUE) == [
        "Ada Lovelace",  # the mention by its name, not its stored markup
        "#buildinpublic",
        "https://example.com/x#frag",  # the "#" of an address is no hashtag
    ]
    assert "urn:li:person" not in preview.body_html()


def test_a_dark_palette_gets_the_lighter_blue(qtbot: QtBot, dark: None) -> None:
    preview = PostPreview()
    qtbot.addWidget(preview)
    preview.show_text("Dark mode #tips")
    assert _blue_words(preview.body_html(), DARK_BLUE) == ["#tips"]
    assert _blue_words(preview.body_html(), LIGHT_BLUE) == []


def test_typed_markup_is_shown_as_typed(preview: PostPreview) -> None:
    typed = "<b>bold?</b> & <i>no</i> <span style='color:red'>x</span>"
    preview.show_text(typed)
    fragments = _fragments(preview.body_html())
    assert "".join(text for text, _, _ in fragments) == typed
    assert not any(bold for _, _, bold in fragments)
    assert all(colour.rgb() != QColor("red").rgb() for _, colour, _ in fragments)


# --- the header ----------------------------------------------------------------------------------


def _pixel(preview: PostPreview, x: int, y: int) -> QColor:
    pixmap = preview.avatar.pixmap()
    image = pixmap.toImage()
    ratio = pixmap.devicePixelRatio()
    return image.pixelColor(round(x * ratio), round(y * ratio))


def test_header_shows_the_name_and_picture(preview: PostPreview) -> None:
    picture = QPixmap(96, 64)
    picture.fill(QColor("#c0392b"))
    preview.show_profile("Grace Hopper", picture)
    assert preview.name_label.text() == "Grace Hopper"
    assert _pixel(preview, 24, 24).rgb() == QColor("#c0392b").rgb()  # cropped to fill
    assert _pixel(preview, 1, 1).alpha() == 0  # round: the corner is clear
    assert preview.avatar.accessibleName() == "Profile picture of Grace Hopper"


def test_not_connected_shows_you_and_an_initial_on_the_accent(preview: PostPreview) -> None:
    assert preview.name_label.text() == "You"
    accent = preview.palette().color(preview.palette().ColorRole.Highlight)
    assert _pixel(preview, 24, 4).rgb() == accent.rgb()  # inside the circle, above the letter
    assert _pixel(preview, 1, 1).alpha() == 0
    assert preview.avatar.accessibleName() == "Initial of You"


def test_header_time_is_now_for_a_draft_or_the_local_scheduled_time(
    preview: PostPreview,
) -> None:
    # The time, then who may see the post (anyone, until show_content says otherwise).
    assert preview.time_label.text() == "now • 🌐"
    when = datetime(2026, 12, 8, 8, 30, tzinfo=UTC)
    with system_zone("Europe/Paris"):
        preview.show_time(when)
        assert preview.time_label.text() == "Tue 8 Dec · 09:30 • 🌐"
        now = datetime(2026, 12, 1, tzinfo=UTC)
        assert time_text(datetime(2027, 1, 5, 8, 0, tzinfo=UTC), now) == "Tue 5 Jan 2027 · 09:00"
    preview.show_time(None)
    assert preview.time_label.text() == "now • 🌐"


def test_the_hook_helper_marks_the_opening_lines_and_follows_the_layout(
    preview: PostPreview,
) -> None:
    opener = "Most side projects quietly die."
    second = " ".join(["Not because the idea was bad, but because nobody planned the middle."] * 3)
    preview.show_text(f"{opener}\n\n{second}\n\nThe rest.")
    hook = preview.hook.text()
    assert preview.hook.isVisibleTo(preview)
    assert f"Line 1: {len(opener)} characters, shown whole ✓" in hook
    assert f"Line 2: {len(second)} characters, cut by “…see more”" in hook
    assert hook.startswith("Hook (desktop)")
    preview.set_feed_layout(MOBILE)
    assert preview.hook.text().startswith("Hook (mobile)")
    preview.show_text("")
    assert not preview.hook.isVisibleTo(preview)
