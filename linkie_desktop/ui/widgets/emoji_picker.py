"""A search field over a list, in a popup: the emoji picker (a grid) and the snippet chooser (a
list) are both one of these. Typing filters; the arrow keys move through the results (also from
the search field: Down enters the list); Enter chooses; Esc closes.

Emoji data: the `emoji` package (PyPI, maintained, BSD): every emoji of the Unicode standard with
its CLDR short name and the aliases people type on GitHub and Slack (":thumbsup:", ":+1:"), plus
each emoji's version. Python's `unicodedata.name()` would need no package but only names single
code points (no flags, no "woman technologist" sequence) and lags the standard. Shown: the fully
qualified emoji of Emoji 15.1 or older without skin-tone variants (about 1,900), as readers on
phones a few years old see them; newer ones would show as boxes to many of them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour

NEWEST_EMOJI_VERSION = 15.1
MAX_RECENT = 24
_CELL = QSize(40, 40)
_SKIN_TONES = range(0x1F3FB, 0x1F400)
# Unicode's blocks in the order people look in: faces and people, then nature, objects,
# transport, symbols; within a block, code point order keeps kin together.
_BLOCK_ORDER = [
    (0x1F600, 0x1F64F),  # emoticons (faces)
    (0x1F910, 0x1F9FF),  # supplemental faces, people, food
    (0x1F440, 0x1F4FF),  # hands, people, hearts, objects
    (0x1F300, 0x1F43F),  # weather, plants, food, animals
    (0x1F500, 0x1F5FF),
    (0x1F680, 0x1F6FF),  # transport
    (0x1FA70, 0x1FAFF),
    (0x2600, 0x27BF),  # symbols and dingbats
]
# The recent emoji of this run, newest first, shared by every picker (not kept across runs).
_recent: list[str] = []


@dataclass(frozen=True)
class Choice:
    """One entry of a search popup: what is shown, what is searched, what is chosen."""

    shown: str
    searched: str  # casefolded words
    value: str
    description: str = ""  # tooltip and accessible text


def _block_rank(text: str) -> tuple[int, int]:
    first = ord(text[0])
    for rank, (low, high) in enumerate(_BLOCK_ORDER):
        if low <= first <= high:
            return rank, first
    return len(_BLOCK_ORDER), first


def _readable(short_name: str) -> str:
    return short_name.strip(":").replace("_", " ")


@functools.cache
def emoji_choices() -> tuple[Choice, ...]:
    # Imported at the first picker, not with the composer: its tables take ~12 ms to load.
    import emoji

    found = []
    for text, data in emoji.EMOJI_DATA.items():
        if data["status"] != emoji.STATUS["fully_qualified"] or data["E"] > NEWEST_EMOJI_VERSION:
            continue
        if any(ord(char) in _SKIN_TONES for char in text):
            continue
        name = _readable(data["en"])
        aliases = [_readable(alias) for alias in data.get("alias", [])]
        searched = " ".join([name, *aliases]).casefold()
        found.append(Choice(text, searched, text, name))
    return tuple(sorted(found, key=lambda choice: _block_rank(choice.value)))


def remember_recent(value: str) -> None:
    if value in _recent:
        _recent.remove(value)
    _recent.insert(0, value)
    del _recent[MAX_RECENT:]


def recent_emoji() -> list[str]:
    return list(_recent)


class SearchPopup(QFrame):
    chosen = Signal(str)

    def __init__(
        self,
        choices: Sequence[Choice],
        parent: QWidget | None,
        *,
        key: str,
        title: str,
        placeholder: str,
        grid: bool = False,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        named(self, key, title)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._choices = list(choices)
        self._grid = grid
        self.search = named(QLineEdit(), f"{key}Search", f"Search {title.lower()}")
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        self.results = named(QListWidget(), f"{key}Results", title)
        self.results.setUniformItemSizes(True)
        if grid:
            # List mode laid out in rows: each emoji centred in its cell (icon mode puts text
            # under an empty icon, at the cell's top).
            self.results.setFlow(QListView.Flow.LeftToRight)
            self.results.setWrapping(True)
            self.results.setResizeMode(QListView.ResizeMode.Adjust)
            self.results.setMovement(QListView.Movement.Static)
            self.results.setGridSize(_CELL)
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.6)
            self.results.setFont(font)
        self.status = named(QLabel(""), f"{key}Status", "Highlighted entry")
        self.status.setStyleSheet(f"color: {muted_colour().name()};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)

        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(self._activated)
        self.results.currentItemChanged.connect(self._describe)
        self._fill()

    # --- what is listed --------------------------------------------------------------------------

    def _ordered(self) -> list[Choice]:
        return self._choices

    def _fill(self) -> None:
        self.results.clear()
        for choice in self._ordered():
            item = QListWidgetItem(choice.shown)
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            item.setData(Qt.ItemDataRole.UserRole + 1, choice.searched)
            item.setToolTip(choice.description or choice.shown)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, choice.description or choice.shown)
            if self._grid:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setSizeHint(_CELL)  # fills its cell: the emoji and its highlight centred
            self.results.addItem(item)
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first: QListWidgetItem | None = None
        for row in range(self.results.count()):
            item = self.results.item(row)
            searched = str(item.data(Qt.ItemDataRole.UserRole + 1))
            hidden = not all(word in searched for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is None:
            self.results.setCurrentRow(-1)
            self.status.setText("Nothing matches — try another word")
        else:
            self.results.setCurrentItem(first)

    def visible_values(self) -> list[str]:
        return [
            str(self.results.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.results.count())
            if not self.results.item(row).isHidden()
        ]

    def current_value(self) -> str | None:
        item = self.results.currentItem()
        return None if item is None or item.isHidden() else str(item.data(Qt.ItemDataRole.UserRole))

    def _describe(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.status.setText(str(item.data(Qt.ItemDataRole.AccessibleTextRole)))

    # --- showing and choosing --------------------------------------------------------------------

    def popup(self, at: QPoint) -> None:
        """Show at `at` (global), with an empty search and the first entry highlighted."""
        self.search.clear()
        self._fill()
        self.move(at)
        self.show()
        self.search.setFocus()

    def _activated(self, item: QListWidgetItem) -> None:
        self.choose(str(item.data(Qt.ItemDataRole.UserRole)))

    def choose(self, value: str) -> None:
        self.close()
        self.chosen.emit(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                value = self.current_value()
                if value is not None:
                    self.choose(value)
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                # The list takes the key (and the focus): arrows then move through the results.
                self.results.setFocus()
                self.results.keyPressEvent(event)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        # Enter is the list's (itemActivated) and the search field's (eventFilter): the list
        # lets it travel on after activating, so it is not taken a second time here.
        super().keyPressEvent(event)


class EmojiPicker(SearchPopup):
    """Emoji searchable by name and alias, this run's recent ones first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            emoji_choices(),
            parent,
            key="emojiPicker",
            title="Emoji",
            placeholder="Search emoji by name: smile, rocket, thumbs up…",
            grid=True,
        )
        self.resize(380, 340)

    def _ordered(self) -> list[Choice]:
        recent = recent_emoji()
        if not recent:
            return self._choices
        by_value = {choice.value: choice for choice in self._choices}
        first = [by_value[value] for value in recent if value in by_value]
        return first + [choice for choice in self._choices if choice.value not in recent]

    def choose(self, value: str) -> None:
        remember_recent(value)
        super().choose(value)
