"""Text rules: what counts as blank, which characters text may not hold, and LinkedIn's "little
text" format (the commentary escaping the Posts API needs at send time).

LinkedIn parses post commentary as little text, where `| { } @ [ ] ( ) < > # \\ * _ ~` are syntax.
An unescaped one makes LinkedIn silently cut the post there while still answering 201, so every
reserved character is escaped, used or not. Only the text sent is escaped; the database keeps
what the user typed. (Where the feed folds a post behind "…see more" lives in `domain/fold.py`.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LITTLE_TEXT_RESERVED = frozenset("|{}@[]()<>#\\*_~")


def escape_little_text(text: str) -> str:
    """Backslash-escape every reserved character so LinkedIn shows the text exactly as typed."""
    return "".join("\\" + char if char in LITTLE_TEXT_RESERVED else char for char in text)


# --- blank text and characters a post may not hold ------------------------------------------------

# Letters and symbols that draw nothing, used to slip a blank post past a "not empty" check
# (their Unicode categories say "letter" or "symbol", so a category test alone misses them).
_DRAWS_NOTHING = frozenset(
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u2800"  # braille pattern blank
    "\u034f\u180b\u180c\u180d\u180f"  # grapheme joiner, Mongolian variation selectors
)
# Spaces, line and paragraph separators, controls and format characters (zero-width space and
# joiners, word joiner, byte order mark, soft hyphen, direction marks, tags) show nothing alone.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))

# Tab and line breaks are part of a post; every other control character (NUL, escape, form feed,
# C1 controls…) is invisible, breaks exports and terminals, and is refused.
_TEXT_CONTROLS = frozenset("\t\n\r")
_CONTROL_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0x7F: "delete",
}


def _invisible(char: str) -> bool:
    code = ord(char)
    return (
        char in _DRAWS_NOTHING
        or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        or any(code in selectors for selectors in _VARIATION_SELECTORS)
    )


def is_blank(text: str) -> bool:
    """True when nothing in `text` would show: empty, whitespace, or only invisible characters."""
    return all(_invisible(char) for char in text)


@dataclass(frozen=True)
class CharacterAt:
    """A character and where it sits (1-based line and character in that line), for messages."""

    char: str
    line: int
    column: int

    @property
    def broken(self) -> bool:
        """Half of a UTF-16 pair: what Python makes of bytes that were not valid UTF-8."""
        return unicodedata.category(self.char) == "Cs"

    def describe(self) -> str:
        code = f"U+{ord(self.char):04X}"
        if self.broken:
            return f"{code} (half of a character: the text was not valid UTF-8)"
        name = _CONTROL_NAMES.get(ord(self.char))
        return f"{code} ({name})" if name else code


# Exactly the Cc characters but tab, LF and CR, and the Cs ones (surrogates): a compiled class
# scans a post in C, where a per-character category test cost 6 s over 40,000 drafts at start-up.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def first_unstorable(text: str) -> CharacterAt | None:
    """The first character `text` may not hold: a control character other than tab and line
    breaks, or a broken character. None when there is none."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    index = found.start()
    line_start = text.rfind("\n", 0, index) + 1
    return CharacterAt(found.group(), text.count("\n", 0, index) + 1, index - line_start + 1)
