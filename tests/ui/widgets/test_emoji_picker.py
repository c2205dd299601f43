"""The emoji picker under pytest-qt: search by name and alias, keyboard navigation from the
search field into the grid, Enter chooses, Esc closes, recent emoji first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.ui.widgets import emoji_picker
from linkie_desktop.ui.widgets.emoji_picker import EmojiPicker, emoji_choices


@pytest.fixture(autouse=True)
def no_recent_emoji() -> Iterator[None]:
    emoji_picker._recent.clear()
    yield
    emoji_picker._recent.clear()


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def picker(qtbot: QtBot, host: QWidget) -> EmojiPicker:
    popup = EmojiPicker(host)
    popup.popup(QPoint(0, 0))
    qtbot.waitUntil(popup.isVisible)
    return popup


def test_the_choice_is_the_fully_qualified_emoji_without_skin_tones() -> None:
    values = [choice.value for choice in emoji_choices()]
    assert 1500 < len(values) < 2500
    assert values[0] == "😀"  # faces first
    assert "👍" in values and "👍🏽" not in values
    assert "👩\u200d💻" in values  # sequences too, which unicodedata has no name for
    assert len(set(values)) == len(values)


def test_search_by_name_and_alias(qtbot: QtBot, picker: EmojiPicker) -> None:
    QTest.keyClicks(picker.search, "thumbs up")
    assert picker.visible_values() == ["👍"]
    picker.search.clear()
    QTest.keyClicks(picker.search, "+1")  # the alias people type elsewhere
    assert picker.visible_values() == ["👍"]
    picker.search.setText("technologist woman")  # words in any order
    assert "👩\u200d💻" in picker.visible_values()
    picker.search.setText("zzzz")
    assert picker.visible_values() == [] and picker.status.text().startswith("Nothing matches")


def test_arrows_move_from_the_search_into_the_grid_and_enter_chooses(
    qtbot: QtBot, picker: EmojiPicker
) -> None:
    chosen: list[str] = []
    picker.chosen.connect(chosen.append)
    QTest.keyClicks(picker.search, "face")
    first, second = picker.visible_values()[:2]
    assert picker.current_value() == first
    QTest.keyClick(picker.search, Qt.Key.Key_Down)  # into the grid
    QTest.keyClick(picker.results, Qt.Key.Key_Home)
    QTest.keyClick(picker.results, Qt.Key.Key_Right)
    assert picker.current_value() == second
    assert picker.status.text()  # its name is shown (and read out)
    QTest.keyClick(picker.results, Qt.Key.Key_Return)
    assert chosen == [second]
    assert not picker.isVisible()


def test_escape_closes_without_choosing(qtbot: QtBot, picker: EmojiPicker) -> None:
    chosen: list[str] = []
    picker.chosen.connect(chosen.append)
    QTest.keyClick(picker.search, Qt.Key.Key_Escape)
    assert not picker.isVisible() and chosen == []


def test_recent_emoji_come_first_next_time(qtbot: QtBot, picker: EmojiPicker) -> None:
    picker.search.setText("rocket")
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    picker.popup(QPoint(0, 0))
    picker.search.setText("tada")
    QTest.keyClick(picker.search, Qt.Key.Key_Return)
    picker.popup(QPoint(0, 0))
    assert picker.visible_values()[:3] == ["🎉", "🚀", "😀"]
    assert picker.visible_values().count("🚀") == 1
