"""Where LinkedIn folds a long post behind "…see more" in the feed.

The feed shows the first three *rendered* lines of an organic post, on desktop and on mobile
alike; mobile shows fewer characters because its column is narrower. Each line break starts a
new line and an empty line uses one up; a third line that is empty is not shown (the preview is
then two lines). The last line shown ends with "…see more", so its text is cut, at a whole word,
to leave room for it. (Observed by LinkedIn trainers in late 2024, e.g. John Espirian's "See
more breakpoints"; LinkedIn publishes no rule, so the composer shows this as a guide.)

Widths are measured by a function the caller passes in: the window passes its font's metrics at
LinkedIn's feed font size; without one, `approximate_width` estimates a 14 px sans-serif font.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

FOLD_CHARS = 210  # the commonly quoted desktop figure; kept for SQL-side estimates (db/stats.py)
FOLD_LINES = 3
SEE_MORE = "…see more"

Measure = Callable[[str], float]


@dataclass(frozen=True)
class FeedLayout:
    """A feed column: the width its text wraps at, in pixels at LinkedIn's 14 px font."""

    name: str
    width: float
    lines: int = FOLD_LINES


# LinkedIn's feed card on desktop (555 px, 16 px padding each side) and a 375 px phone screen.
DESKTOP = FeedLayout("Desktop", 523.0)
MOBILE = FeedLayout("Mobile", 343.0)
LAYOUTS = (DESKTOP, MOBILE)


@lru_cache(maxsize=4096)
def _char_width(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 17.0 if unicodedata.category(char) == "So" else 14.0  # emoji draw wider
    if char == " ":
        return 3.9
    if char in ".,:;'!|il1I()[]{}`\"":
        return 4.0
    if char.isupper() or char in "mwMW@%&":
        return 9.6
    if char.isdigit():
        return 7.8
    return 7.2


def approximate_width(text: str) -> float:
    """The width of `text` in a typical 14 px sans-serif font: the fallback measure."""
    return sum(_char_width(char) for char in text)


@dataclass(frozen=True)
class Line:
    """One rendered line: text[start:end] (without its line break)."""

    start: int
    end: int


def _breaks_after_hyphen(text: str, index: int, end: int) -> bool:
    """Whether a browser may wrap after the hyphen at `index` ("team-wide", not "-5" or "a-")."""
    return (
        text[index] == "-"
        and index > 0
        and text[index - 1].isalpha()
        and index + 1 < end
        and text[index + 1].isalpha()
    )


def _words(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each unbreakable run within text[start:end]: a word with the spaces that
    follow it, or the part of a hyphenated word up to its hyphen (a browser wraps there too)."""
    index = start
    while index < end:
        word_end = index
        while word_end < end and text[word_end] != " ":
            word_end += 1
            if _breaks_after_hyphen(text, word_end - 1, end):
                break
        while word_end < end and text[word_end] == " ":
            word_end += 1
        yield index, word_end
        index = word_end


def lines(text: str, width: float, measure: Measure = approximate_width) -> Iterator[Line]:
    """The text wrapped as a browser wraps it: at spaces and after the hyphen of a hyphenated
    word, a word wider than the column broken where it must, every line break starting a new
    line. Lazy: the fold needs only four."""
    start = 0
    while True:
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        line_start, used = start, 0.0
        for word_start, word_end in _words(text, start, end):
            word = text[word_start:word_end]
            shown = measure(word.rstrip(" "))  # trailing spaces may hang past the edge
            if used and used + shown > width:
                yield Line(line_start, word_start)
                line_start, used = word_start, 0.0
            while shown > width:  # a word longer than the column: broken by character
                cut = word_start + 1
                while cut < word_end and measure(text[word_start : cut + 1]) <= width:
                    cut += 1
                yield Line(word_start, cut)
                word_start = line_start = cut
                word = text[word_start:word_end]
                shown = measure(word.rstrip(" "))
            used += measure(word)
        yield Line(line_start, end)
        if newline < 0:
            return
        start = newline + 1


def fold_index(
    text: str, layout: FeedLayout = DESKTOP, measure: Measure = approximate_width
) -> int | None:
    """Index where the feed's preview ends, or None when the whole post shows without a fold."""
    shown: list[Line] = []
    for line in lines(text, layout.width, measure):
        shown.append(line)
        if len(shown) > layout.lines:
            break
    if len(shown) <= layout.lines or not text[shown[layout.lines].start :].strip():
        return None  # all of it fits (what follows the last line is only blank)
    visible = shown[: layout.lines]
    if not text[visible[-1].start : visible[-1].end].strip():
        visible.pop()  # an empty third line is not shown: the preview is two lines
    last = visible[-1]
    cut = last.end
    while cut > last.start and measure(text[last.start : cut].rstrip() + SEE_MORE) > layout.width:
        space = text.rfind(" ", last.start, cut - 1)
        cut = last.start if space < 0 else space  # back to a whole word
    if cut == last.start and len(visible) > 1:
        cut = visible[-2].end  # not one word fits beside "…see more": the line before ends it
    return len(text[:cut].rstrip())


def split_at_fold(
    text: str, layout: FeedLayout = DESKTOP, measure: Measure = approximate_width
) -> tuple[str, str]:
    """(what the feed shows, what hides behind "…see more"); the second part may be empty."""
    cut = fold_index(text, layout, measure)
    if cut is None:
        return text, ""
    return text[:cut], text[cut:]


@dataclass(frozen=True)
class HookLine:
    """One of a post's opening lines (its hook), as the reader sees it, and whether the feed
    shows all of it before "…see more"."""

    number: int  # 1 or 2
    text: str
    fits: bool

    @property
    def length(self) -> int:
        return len(self.text)


def hook_lines(reader: str, cut: int | None, count: int = 2) -> tuple[HookLine, ...]:
    """The first `count` lines with words in them (blank lines between are layout, not hook) of
    the text the reader sees, each marked as shown whole above the fold at `cut` (None: the whole
    post shows)."""
    found: list[HookLine] = []
    start = 0
    for line in reader.split("\n"):
        end = start + len(line)
        if line.strip():
            fits = cut is None or end <= cut
            found.append(HookLine(len(found) + 1, line.strip(), fits))
            if len(found) == count:
                break
        start = end + 1
    return tuple(found)
