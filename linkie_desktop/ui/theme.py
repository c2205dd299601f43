"""The app's look: the spacing grid, and a light or dark palette with the one accent, following
the system's colour scheme (Qt's QStyleHints.colorScheme) or Settings › Appearance.

The palette is set on the application, so every window and dialog follows at once, while it
runs. A widget that draws with colours it computed itself re-reads them on QEvent.PaletteChange.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from linkie_desktop.ui.widgets.palette import ACCENT, is_dark

log = logging.getLogger(__name__)

# Settings › Appearance (Preferences.appearance): the stored words.
SYSTEM, LIGHT, DARK = "system", "light", "dark"
APPEARANCES: dict[str, str] = {SYSTEM: "Same as the system", LIGHT: "Light", DARK: "Dark"}


class Space:
    """The spacing grid: every margin and gap a layout sets is one of these (multiples of 4 px)."""

    XS = 4
    S = 8
    M = 12
    L = 16
    XL = 24


_ROLES = QPalette.ColorRole
# A dark palette of neutral greys (not pure black: long texts tire the eyes less), each text
# colour at least 4.5:1 on the background it is drawn on.
_DARK: dict[QPalette.ColorRole, str] = {
    _ROLES.Window: "#202124",
    _ROLES.WindowText: "#e8eaed",
    _ROLES.Base: "#292a2d",
    _ROLES.AlternateBase: "#303134",
    _ROLES.Text: "#e8eaed",
    _ROLES.Button: "#303134",
    _ROLES.ButtonText: "#e8eaed",
    _ROLES.BrightText: "#ffffff",
    _ROLES.PlaceholderText: "#9aa0a6",
    _ROLES.ToolTipBase: "#303134",
    _ROLES.ToolTipText: "#e8eaed",
    _ROLES.Light: "#5f6368",
    _ROLES.Midlight: "#4a4d51",
    _ROLES.Mid: "#3c4043",
    _ROLES.Dark: "#17181a",
    _ROLES.Shadow: "#000000",
    _ROLES.Link: "#8fa3f5",
    _ROLES.LinkVisited: "#b39ddb",
}
_DARK_DISABLED = "#6f737a"


def _with_accent(palette: QPalette) -> QPalette:
    """The accent as the selection colour, white on it (6.5:1), in every colour group."""
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, _ROLES.Highlight, QColor(ACCENT))
        palette.setColor(group, _ROLES.HighlightedText, QColor("#ffffff"))
        palette.setColor(group, _ROLES.Accent, QColor(ACCENT))
    return palette


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (_ROLES.WindowText, _ROLES.Text, _ROLES.ButtonText, _ROLES.PlaceholderText):
        palette.setColor(disabled, role, QColor(_DARK_DISABLED))
    palette.setColor(disabled, _ROLES.Highlight, QColor("#3c4043"))
    return _with_accent(palette)


def light_palette(platform: QPalette | None = None) -> QPalette:
    """The platform's own light palette (or the style's) with the accent."""
    base = QPalette(platform) if platform is not None and not is_dark(platform) else None
    if base is None:
        app = QApplication.instance()
        style = app.style() if isinstance(app, QApplication) else None
        base = style.standardPalette() if style is not None else QPalette()
        if is_dark(base):  # a style that follows a dark system: Qt's own light defaults
            base = QPalette(QColor("#efefef"))
    return _with_accent(base)


def wants_dark(appearance: str, system: Qt.ColorScheme) -> bool:
    """Dark when chosen, or when following a system that says it is dark; an unknown stored word
    counts as "follow the system"."""
    if appearance == DARK:
        return True
    if appearance == LIGHT:
        return False
    return system == Qt.ColorScheme.Dark


class Theme(QObject):
    """Applies the chosen appearance to the application, and follows the system's scheme live."""

    applied = Signal(bool)  # True: dark

    def __init__(self, app: QApplication, appearance: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("theme")
        self._app = app
        self.appearance = appearance
        hints = app.styleHints()
        self.system_scheme = hints.colorScheme()
        hints.colorSchemeChanged.connect(self._system_changed)
        self.dark = False
        self.apply()

    def set_appearance(self, appearance: str) -> None:
        if appearance != self.appearance:
            self.appearance = appearance
            self.apply()

    @Slot(Qt.ColorScheme)
    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        self.system_scheme = scheme
        if self.appearance not in (LIGHT, DARK):
            self.apply()

    def release(self) -> None:
        """The platform's palette back (the app closes, or another workspace's shell follows)."""
        self._app.styleHints().colorSchemeChanged.disconnect(self._system_changed)
        self._app.setPalette(QPalette())

    def apply(self) -> None:
        dark = wants_dark(self.appearance, self.system_scheme)
        # The platform's palette, read afresh: an empty palette resets the app to it.
        self._app.setPalette(QPalette())
        platform = self._app.palette()
        if dark:
            # A desktop whose own palette is dark already (KDE's Breeze Dark) keeps its colours.
            palette = _with_accent(QPalette(platform)) if is_dark(platform) else dark_palette()
        else:
            palette = light_palette(platform)
        self._app.setPalette(palette)
        self.dark = dark
        log.info("appearance %s: %s palette", self.appearance, "dark" if dark else "light")
        self.applied.emit(dark)
