"""Colours that stay readable in both light and dark system palettes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from linkie_desktop.domain.status import PostStatus

# The app's one accent: the app icon's blue. Selections, focus rings, the cards' hover and the
# bundled icons' details are drawn in it (ui/theme.py makes it the palette's Highlight). On a dark
# background text in the accent is drawn in its lighter variant, which keeps contrast there.
ACCENT = "#2F4BD8"
_ACCENT_TEXT = (ACCENT, "#8FA3F5")

# (light palette, dark palette) per status: the dark variants are lighter so they keep contrast.
_STATUS_COLOURS: dict[str, tuple[str, str]] = {
    PostStatus.DRAFT: ("#6b7280", "#aab2bf"),
    PostStatus.SCHEDULED: ("#1d4ed8", "#7aa7ff"),
    PostStatus.PUBLISHING: ("#b45309", "#f5b454"),
    PostStatus.PUBLISHED: ("#15803d", "#5fd38d"),
    PostStatus.FAILED: ("#b91c1c", "#ff7b7b"),
}
_WARNING = ("#b91c1c", "#ff7b7b")

STATUS_LABELS: dict[str, str] = {
    PostStatus.DRAFT: "Draft",
    PostStatus.SCHEDULED: "Scheduled",
    PostStatus.PUBLISHING: "Publishing…",
    PostStatus.PUBLISHED: "Published",
    PostStatus.FAILED: "Failed",
}


def current_palette() -> QPalette:
    return QApplication.palette()


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or current_palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def _pick(pair: tuple[str, str], palette: QPalette | None) -> QColor:
    return QColor(pair[1] if is_dark(palette) else pair[0])


def status_colour(status: str, palette: QPalette | None = None) -> QColor:
    return _pick(_STATUS_COLOURS.get(status, _STATUS_COLOURS[PostStatus.DRAFT]), palette)


def accent_colour(palette: QPalette | None = None) -> QColor:
    """The accent for text and lines on the window's background (lighter on a dark one)."""
    return _pick(_ACCENT_TEXT, palette)


def warning_colour(palette: QPalette | None = None) -> QColor:
    return _pick(_WARNING, palette)


def muted_colour(palette: QPalette | None = None) -> QColor:
    """Secondary text: halfway between text and background, so it reads as quieter in any theme.

    (Some styles' PlaceholderText equals Text in light palettes, so it is not used here.)
    """
    palette = palette or current_palette()
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() * 55 + base.red() * 45) // 100,
        (text.green() * 55 + base.green() * 45) // 100,
        (text.blue() * 55 + base.blue() * 45) // 100,
    )


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.capitalize())
