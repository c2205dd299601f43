"""Red wavy underlines under misspelled words, as the user types.

Qt calls `highlightBlock` for one paragraph at a time (the one typed in, and those after it only
while their state changes), so a keystroke costs the look-ups of one paragraph's words. The words
are read by services/spelling.py; this module only turns its Python string offsets into Qt's
(UTF-16: an emoji or a Unicode-bold letter is two units there, one character in Python).
"""

from __future__ import annotations

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

from linkie_desktop.services.spelling import Misspelling, SpellCheck
from linkie_desktop.ui.widgets.palette import warning_colour


def utf16_offset(text: str, index: int) -> int:
    """Qt's position of Python's `text[index]`."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def python_index(text: str, offset: int) -> int:
    """Python's index of the character at Qt's position `offset` in `text`."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class SpellHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.setObjectName("spellHighlighter")
        self._check: SpellCheck | None = None
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._format.setUnderlineColor(warning_colour())

    @property
    def check(self) -> SpellCheck | None:
        return self._check

    def set_check(self, check: SpellCheck | None) -> None:
        """Check with `check` from now on (None: no spell check); every paragraph is redone."""
        self._check = check
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        if self._check is None:
            return
        for found in self._check.misspellings(text):
            start = utf16_offset(text, found.start)
            self.setFormat(start, utf16_offset(text, found.end) - start, self._format)

    def misspelling_at(self, text: str, offset: int) -> Misspelling | None:
        """The misspelled word of paragraph `text` at Qt's position `offset` (a click on it)."""
        if self._check is None:
            return None
        index = python_index(text, offset)
        for found in self._check.misspellings(text):
            if found.start <= index <= found.end:
                return found
        return None
