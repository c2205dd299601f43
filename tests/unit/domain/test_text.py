"""Text rules: little-text escaping (LinkedIn shows exactly what was typed), blank text, and the
characters a post may not hold."""

from __future__ import annotations

import unicodedata

import pytest

from linkie_desktop.domain.text import (
    LITTLE_TEXT_RESERVED,
    escape_little_text,
    first_unstorable,
    is_blank,
)
from tests.fakes.linkedin_server import RESERVED, parse_little_text


def test_every_reserved_character_is_escaped() -> None:
    text = "".join(sorted(LITTLE_TEXT_RESERVED))
    escaped = escape_little_text(text)
    assert escaped == "".join("\\" + c for c in sorted(LITTLE_TEXT_RESERVED))


def test_the_reserved_set_is_linkedins() -> None:
    assert frozenset("|{}@[]()<>#\\*_~") == LITTLE_TEXT_RESERVED == RESERVED


@pytest.mark.parametrize(
    "text",
    [
        "Plain words, commas; colons: and 'quotes' stay as they are.",
        "Ship it (finally) #launch @team [v2] <3 *bold* _it_ ~strike~ a|b {x} C:\\path",
        "Émojis 🚀 and\nnew lines\n\nkeep",
        "\\(already looks escaped)",
        "",
    ],
)
def test_linkedin_shows_the_text_exactly_after_escaping(text: str) -> None:
    assert parse_little_text(escape_little_text(text)) == text


def test_text_without_reserved_characters_is_unchanged() -> None:
    assert escape_little_text("Hello, world! 100% sure.") == "Hello, world! 100% sure."


# --- what counts as blank, and which characters text may not hold --------------------------------

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00a0",  # no-break space
    "\u2800",  # braille pattern blank: a "symbol" that draws nothing
    "\u3164",  # Hangul filler: a "letter" that draws nothing
    "\u115f",  # Hangul choseong filler
    "\uffa0",  # halfwidth Hangul filler
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\ufe0f",  # variation selector 16
    "\u180e",  # Mongolian vowel separator
    "\u2028",  # line separator
    "\u3000",  # ideographic space
    "\U000e0020",  # tag space
    " \t\r\n",
]


@pytest.mark.parametrize("blank", INVISIBLE)
def test_text_of_only_invisible_characters_is_blank(blank: str) -> None:
    assert is_blank(blank)
    assert is_blank(f" {blank}{blank}\n{blank} ")


@pytest.mark.parametrize("text", ["a", ".", "🚀", "\u200dx", "\u2800\u2801", "ㄱ", "\u3164ㅏ"])
def test_text_with_anything_visible_is_not_blank(text: str) -> None:
    assert not is_blank(text)


def test_tab_and_line_breaks_are_text_but_other_control_characters_are_not() -> None:
    assert first_unstorable("one\ttwo\r\nthree\n") is None
    assert first_unstorable("Zero\u200bwidth and émojis 🚀 are text") is None
    found = first_unstorable("first line\nsecond\x00line")
    assert found is not None
    assert (found.char, found.line, found.column) == ("\x00", 2, 7)
    assert found.describe() == "U+0000 (null)"


@pytest.mark.parametrize(
    ("char", "description"),
    [
        ("\x01", "U+0001"),
        ("\x08", "U+0008 (backspace)"),
        ("\x0b", "U+000B (vertical tab)"),
        ("\x0c", "U+000C (form feed)"),
        ("\x1b", "U+001B (escape)"),
        ("\x7f", "U+007F (delete)"),
        ("\x85", "U+0085"),  # C1 "next line": a control character, not a line break here
        ("\udcff", "U+DCFF (half of a character: the text was not valid UTF-8)"),
    ],
)
def test_control_characters_and_broken_characters_are_found(char: str, description: str) -> None:
    found = first_unstorable(f"ab{char}")
    assert found is not None
    assert (found.char, found.line, found.column) == (char, 1, 3)
    assert found.describe() == description


def test_first_unstorable_finds_exactly_the_controls_and_halves_over_all_code_points() -> None:
    # The scan is a compiled character class for speed; it must mean the category rule exactly:
    # every Cc character but tab, LF and CR, and every Cs (half of a UTF-16 pair).
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        expected = (category == "Cc" and char not in "\t\n\r") or category == "Cs"
        assert (first_unstorable("ok " + char) is not None) is expected, f"U+{code:04X}"
