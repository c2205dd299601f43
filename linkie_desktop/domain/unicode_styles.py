"""Bold, italic, bold-italic, monospace and strikethrough as LinkedIn writers make them: with
Unicode characters, since a LinkedIn post is plain text.

Letters (and digits, where Unicode has them) become Mathematical Alphanumeric Symbols: sans-serif
bold 𝗮 𝟬, sans-serif italic 𝘢, sans-serif bold italic 𝙖 and monospace 𝚊 𝟶. These blocks have no
holes for the sans-serif and monospace styles, so every ASCII letter has its form. Strikethrough
puts U+0336 COMBINING LONG STROKE OVERLAY after each character.

Only ASCII letters and digits have mathematical forms: accented letters (é, ñ, ß), other scripts,
punctuation and emoji are kept exactly as they are, which is what makes `plain` an exact undo:
`plain(styled(x)) == x` for any text that holds no mathematical letters to begin with.

Screen readers read these characters one by one ("mathematical sans-serif bold small h, …"), and
search does not find them: `styled_count` lets the composer say how many there are.
"""

from __future__ import annotations

import unicodedata
from enum import Enum

_STROKE = "\u0336"
_ZERO_WIDTH_JOINER = "\u200d"
# The whole Mathematical Alphanumeric Symbols block: `plain` also undoes the serif, script and
# other styles that other tools produce, not only the ones made here.
_MATH_FIRST, _MATH_LAST = 0x1D400, 0x1D7FF


class Style(Enum):
    BOLD = "bold"
    ITALIC = "italic"
    BOLD_ITALIC = "bold italic"
    MONOSPACE = "monospace"
    STRIKETHROUGH = "strikethrough"


# Letter styles: (first capital, first small letter, first digit or None: italics have no digits).
_LETTER_FORMS: dict[Style, tuple[int, int, int | None]] = {
    Style.BOLD: (0x1D5D4, 0x1D5EE, 0x1D7EC),
    Style.ITALIC: (0x1D608, 0x1D622, None),
    Style.BOLD_ITALIC: (0x1D63C, 0x1D656, None),
    Style.MONOSPACE: (0x1D670, 0x1D68A, 0x1D7F6),
}


def _styled_char(char: str, style: Style) -> str:
    capital, small, digit = _LETTER_FORMS[style]
    if "A" <= char <= "Z":
        return chr(capital + ord(char) - ord("A"))
    if "a" <= char <= "z":
        return chr(small + ord(char) - ord("a"))
    if digit is not None and "0" <= char <= "9":
        return chr(digit + ord(char) - ord("0"))
    return char


def _is_math(char: str) -> bool:
    return _MATH_FIRST <= ord(char) <= _MATH_LAST


def _plain_char(char: str) -> str:
    if _is_math(char):
        # NFKC maps each mathematical letter to its letter; applied to these alone, since on
        # other text it would also change ligatures, fractions and accents.
        return unicodedata.normalize("NFKC", char)
    return char


def _unstruck(text: str) -> str:
    return text.replace(_STROKE, "")


def _struck(text: str) -> str:
    """A stroke after each character, after its accents (combining marks) and never inside an
    emoji sequence (joiners, variation selectors) or after a line break."""
    out: list[str] = []
    for index, char in enumerate(text):
        out.append(char)
        following = text[index + 1] if index + 1 < len(text) else ""
        if char in "\n\r\u2029" or char == _ZERO_WIDTH_JOINER:
            continue
        if following and (
            unicodedata.category(following).startswith("M") or following == _ZERO_WIDTH_JOINER
        ):
            continue  # the mark belongs to this character: the stroke goes after it
        out.append(_STROKE)
    return "".join(out)


def plain(text: str) -> str:
    """The text without any style made here (or by other tools' mathematical letters)."""
    return "".join(_plain_char(char) for char in _unstruck(text))


def letter_style(text: str) -> Style | None:
    """The one letter style every letter of `text` has (None: plain, mixed, or another tool's).

    Digits, punctuation and accented letters have no say: italics have no digits, and nothing
    has an accented form.
    """
    found: set[Style | None] = set()
    for char in _unstruck(text):
        if _is_math(char):
            base = _plain_char(char)
            found.add(next((s for s in _LETTER_FORMS if _styled_char(base, s) == char), None))
        elif "A" <= char <= "Z" or "a" <= char <= "z":
            found.add(None)
    return found.pop() if len(found) == 1 else None


def is_struck(text: str) -> bool:
    return _STROKE in text and _struck(_unstruck(text)) == text


def styled(text: str, style: Style) -> str:
    """`text` in `style`, from its plain letters (a letter style replaces another one)."""
    if style is Style.STRIKETHROUGH:
        return _struck(_unstruck(text))
    struck = is_struck(text)
    result = "".join(_styled_char(char, style) for char in plain(text))
    return _struck(result) if struck else result


# Bold and italic combine as in a word processor: bold on italic text gives bold italic, bold on
# bold italic text gives italic.
_BOLD_TOGGLE = {None: Style.BOLD, Style.ITALIC: Style.BOLD_ITALIC, Style.BOLD_ITALIC: Style.ITALIC}
_ITALIC_TOGGLE = {None: Style.ITALIC, Style.BOLD: Style.BOLD_ITALIC, Style.BOLD_ITALIC: Style.BOLD}


def toggled(text: str, style: Style) -> str:
    """What the Bold (Italic, …) command makes of a selection: the style on, or off when the whole
    selection has it already (bold again makes bold text plain). Strikethrough is independent of
    the letter style, and bold and italic combine."""
    if style is Style.STRIKETHROUGH:
        return _unstruck(text) if is_struck(text) else _struck(text)
    current = letter_style(text)
    struck = is_struck(text)
    target: Style | None
    if current is style:
        target = None
    elif style is Style.BOLD:
        target = _BOLD_TOGGLE.get(current, Style.BOLD)
    elif style is Style.ITALIC:
        target = _ITALIC_TOGGLE.get(current, Style.ITALIC)
    else:
        target = style
    letters = "".join(_plain_char(char) for char in _unstruck(text))
    if target is not None:
        letters = "".join(_styled_char(char, target) for char in letters)
    return _struck(letters) if struck else letters


def styled_count(text: str) -> int:
    """How many characters a screen reader will spell out: mathematical letters and struck ones."""
    count = 0
    for index, char in enumerate(text):
        if char == _STROKE:
            continue
        following = text[index + 1] if index + 1 < len(text) else ""
        if _is_math(char) or following == _STROKE:
            count += 1
    return count
