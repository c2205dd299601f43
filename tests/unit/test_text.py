"""Little-text escaping: LinkedIn shows exactly what the user typed, reserved characters too."""

from __future__ import annotations

import pytest

from linkie_desktop.domain.text import LITTLE_TEXT_RESERVED, escape_little_text
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
