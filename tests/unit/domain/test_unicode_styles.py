"""Unicode styles: each style's letters, toggling, the exact undo and the count of styled
characters a screen reader spells out."""

from __future__ import annotations

import pytest

from linkie_desktop.domain.unicode_styles import (
    Style,
    is_struck,
    letter_style,
    plain,
    styled,
    styled_count,
    toggled,
)

SAMPLES = [
    "Hello, World 2024!",
    "Café, naïve, Straße, ñandú: accents stay as typed",
    "e\u0301 decomposed, 👩\u200d💻 and 🇫🇷, “quotes” — dashes…",
    "Line one\nline two\n\n#hashtag @[Ada](urn:li:person:abc) https://example.com/a#b",
    "",
]


@pytest.mark.parametrize("style", list(Style))
@pytest.mark.parametrize("text", SAMPLES)
def test_plain_undoes_every_style_exactly(style: Style, text: str) -> None:
    assert plain(styled(text, style)) == text
    assert plain(toggled(text, style)) == text


def test_each_style_uses_its_mathematical_letters() -> None:
    assert styled("Ab9", Style.BOLD) == "𝗔𝗯𝟵"
    assert styled("Ab9", Style.ITALIC) == "𝘈𝘣9"  # no italic digits: kept as typed
    assert styled("Ab9", Style.BOLD_ITALIC) == "𝘼𝙗9"
    assert styled("Ab9", Style.MONOSPACE) == "𝙰𝚋𝟿"
    assert styled("Ab", Style.STRIKETHROUGH) == "A\u0336b\u0336"


def test_accented_letters_have_no_mathematical_form_and_stay() -> None:
    assert styled("été", Style.BOLD) == "é𝘁é"


def test_bold_again_makes_bold_text_plain() -> None:
    bold = toggled("Make it count", Style.BOLD)
    assert letter_style(bold) is Style.BOLD
    assert toggled(bold, Style.BOLD) == "Make it count"


def test_bold_and_italic_combine_and_separate() -> None:
    bold_italic = toggled(toggled("word", Style.BOLD), Style.ITALIC)
    assert bold_italic == styled("word", Style.BOLD_ITALIC)
    assert toggled(bold_italic, Style.BOLD) == styled("word", Style.ITALIC)
    assert toggled(bold_italic, Style.ITALIC) == styled("word", Style.BOLD)


def test_a_mixed_selection_gets_the_style_everywhere() -> None:
    mixed = styled("half", Style.BOLD) + " and half"
    assert letter_style(mixed) is None
    assert toggled(mixed, Style.BOLD) == styled("half and half", Style.BOLD)


def test_another_style_replaces_the_letter_style_but_keeps_the_stroke() -> None:
    struck_bold = toggled(toggled("old price", Style.BOLD), Style.STRIKETHROUGH)
    assert is_struck(struck_bold)
    mono = toggled(struck_bold, Style.MONOSPACE)
    assert is_struck(mono) and letter_style(mono) is Style.MONOSPACE
    assert toggled(mono, Style.STRIKETHROUGH) == styled("old price", Style.MONOSPACE)


def test_strikethrough_keeps_accents_and_emoji_sequences_whole() -> None:
    assert styled("e\u0301", Style.STRIKETHROUGH) == "e\u0301\u0336"
    # No stroke inside the joined emoji, and none after a line break.
    assert styled("👩\u200d💻\nx", Style.STRIKETHROUGH) == "👩\u200d💻\u0336\nx\u0336"


def test_plain_also_undoes_other_tools_serif_letters() -> None:
    assert plain("𝐁𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐 𝔉𝔯𝔞𝔨") == "Bold italic Frak"


def test_styled_count_counts_what_a_screen_reader_spells_out() -> None:
    assert styled_count("plain text, é") == 0
    assert styled_count(styled("Hi 42", Style.BOLD)) == 4  # the space has no bold form
    assert styled_count(styled("Hi", Style.STRIKETHROUGH)) == 2
    assert styled_count(toggled(styled("Hi", Style.BOLD), Style.STRIKETHROUGH)) == 2
