"""A post's text as LinkedIn's feed draws it: its font, where it folds, and its blue words.

The fold rule lives in domain/fold.py and measures widths with a function it is given; this
module gives it the widths of a real font close to the feed's (LinkedIn's CSS asks for the
system's sans-serif at 14 px: -apple-system, Segoe UI, Roboto, Helvetica, Arial), so the fold
falls where the text drawn in that same font wraps. The fold is computed on the text the reader
sees (a mention shows its name, not its stored markup), read once through `pieces()`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache, lru_cache

from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QPalette

from linkie_desktop.domain.fold import SEE_MORE, FeedLayout, Measure, fold_index, lines
from linkie_desktop.domain.little_text import Hashtag, Link, Mention, pieces
from linkie_desktop.ui.widgets.palette import is_dark, muted_colour

# LinkedIn's feed font stack in its order (".AppleSystemUIFont" is Qt's name for -apple-system);
# Liberation Sans has Arial's widths, so a Linux machine without Arial still wraps as Arial does.
FEED_FAMILIES = (
    ".AppleSystemUIFont",
    "Segoe UI",
    "Roboto",
    "Helvetica Neue",
    "Helvetica",
    "Arial",
    "Liberation Sans",
)
FEED_PIXEL_SIZE = 14
FEED_LINE_HEIGHT_PX = 20  # LinkedIn's line-height for feed text
# LinkedIn's link blue, and the lighter blue of its dark theme.
_LINK_COLOURS = ("#0A66C2", "#71B7FB")


@cache
def feed_font() -> QFont:
    """The first family of LinkedIn's stack installed here, else the app's font, at 14 px."""
    installed = set(QFontDatabase.families())
    family = next((name for name in FEED_FAMILIES if name in installed), None)
    font = QFont(family) if family is not None else QFont(QGuiApplication.font())
    font.setPixelSize(FEED_PIXEL_SIZE)
    font.setWeight(QFont.Weight.Normal)
    return font


@cache
def feed_measure() -> Measure:
    """Widths in pixels of text drawn in `feed_font()`: the `measure` domain/fold.py takes."""
    metrics = QFontMetricsF(feed_font())

    @lru_cache(maxsize=16_384)  # the fold measures each word again at every keystroke
    def measure(text: str) -> float:
        return metrics.horizontalAdvance(text)

    return measure


def link_colour(palette: QPalette | None = None) -> QColor:
    """LinkedIn's blue for hashtags, mentions and links, lighter on a dark palette."""
    return QColor(_LINK_COLOURS[1] if is_dark(palette) else _LINK_COLOURS[0])


def css_colour(colour: QColor) -> str:
    # name() drops alpha, and the placeholder grey is often black at half opacity.
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"


@dataclass(frozen=True)
class Run:
    """A stretch of the text as the reader sees it; `live` for a hashtag, mention or link."""

    start: int
    end: int
    live: bool


def _reader_runs(text: str) -> tuple[str, tuple[Run, ...]]:
    seen: list[str] = []
    runs: list[Run] = []
    at = 0

    def add(part: str, live: bool) -> None:
        nonlocal at
        if part:
            seen.append(part)
            runs.append(Run(at, at + len(part), live))
            at += len(part)

    for piece in pieces(text):
        add(piece.text, isinstance(piece, Hashtag | Mention | Link))
    return "".join(seen), tuple(runs)


@dataclass(frozen=True)
class FeedText:
    """One post's text in the feed at one layout: what shows above the fold, line by line."""

    reader: str  # the text as the reader sees it (mentions as their names)
    runs: tuple[Run, ...]
    layout: FeedLayout
    cut: int | None  # where "…see more" stands in `reader`; None: the whole post shows
    shown_lines: tuple[tuple[int, int], ...]  # (start, end) in `reader` of each line shown

    @property
    def folded(self) -> bool:
        return self.cut is not None

    @property
    def shown(self) -> str:
        return self.reader if self.cut is None else self.reader[: self.cut]

    @property
    def hidden(self) -> str:
        return "" if self.cut is None else self.reader[self.cut :]


def read_feed_text(text: str, layout: FeedLayout, measure: Measure | None = None) -> FeedText:
    """`text` (as stored) read as the feed shows it at `layout`, widths from `measure`
    (default: `feed_measure()`)."""
    measure = measure or feed_measure()
    reader, runs = _reader_runs(text)
    cut = fold_index(reader, layout, measure)
    end = len(reader) if cut is None else cut
    shown: list[tuple[int, int]] = []
    for line in lines(reader, layout.width, measure):
        if line.start >= end and shown:
            break
        shown.append((line.start, min(line.end, end)))
    return FeedText(reader, runs, layout, cut, tuple(shown))


def text_html(feed: FeedText, start: int, end: int, palette: QPalette | None = None) -> str:
    """reader[start:end] escaped, its hashtags, mentions and links in LinkedIn's blue."""
    blue = css_colour(link_colour(palette))
    out: list[str] = []
    for run in feed.runs:
        a, b = max(run.start, start), min(run.end, end)
        if a >= b:
            continue
        part = html.escape(feed.reader[a:b])
        out.append(f'<span style="color:{blue}">{part}</span>' if run.live else part)
    return "".join(out)


def see_more_html(palette: QPalette | None = None) -> str:
    """The feed's marker, muted, right after the last word shown (as the fold measured it)."""
    return f'<span style="color:{css_colour(muted_colour(palette))}">{SEE_MORE}</span>'


def above_fold_html(feed: FeedText, palette: QPalette | None = None) -> str:
    """The lines above the fold, each ended where the fold rule ended it (not where this
    label's own wrapping would), then "…see more" on the last one."""
    shown = [text_html(feed, start, end, palette) for start, end in feed.shown_lines]
    if feed.folded:
        shown[-1] += see_more_html(palette)  # the fold's cut has no trailing space
    return "\n".join(shown)
