"""Settings › Appearance: light, dark, or the system's scheme (the default). OK applies it to
every window at once (ui/theme.py); Cancel leaves the look as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget

from linkie_desktop.services.preferences import Preferences
from linkie_desktop.ui.settings.pages import note
from linkie_desktop.ui.theme import APPEARANCES, DARK, LIGHT, SYSTEM, Space
from linkie_desktop.ui.widgets.accessible import named

# Access keys clear of the dialog's tabs' (L, P, G, K, S, A, and R for this page).
_TEXTS = {SYSTEM: "Same as the s&ystem", LIGHT: "L&ight", DARK: "&Dark"}
_SCHEMES = {
    Qt.ColorScheme.Dark: "dark",
    Qt.ColorScheme.Light: "light",
}


def system_scheme_words() -> str:
    scheme = QGuiApplication.styleHints().colorScheme()
    said = _SCHEMES.get(scheme)
    if said is None:
        return "This desktop does not say whether it is light or dark: Linkie shows light."
    return f"The system is {said} now."


class AppearancePage(QWidget):
    def __init__(self, prefs: Preferences) -> None:
        super().__init__()
        self.setObjectName("appearancePage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        layout.setSpacing(Space.S)
        layout.addWidget(QLabel("Colours of Linkie's windows:"))
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        chosen = prefs.appearance if prefs.appearance in APPEARANCES else SYSTEM
        for key, text in _TEXTS.items():
            button = named(QRadioButton(text), f"appearance{key.capitalize()}", APPEARANCES[key])
            button.setChecked(key == chosen)
            self.group.addButton(button)
            self.choices[key] = button
            layout.addWidget(button)
        self.system_note = note(system_scheme_words(), "appearanceSystemNote")
        layout.addSpacing(Space.S)
        layout.addWidget(self.system_note)
        layout.addStretch(1)

    def chosen(self) -> str:
        return next((key for key, button in self.choices.items() if button.isChecked()), SYSTEM)

    def prefs_changes(self) -> dict[str, str]:
        return {"appearance": self.chosen()}
