"""The window's preferences: one object, loaded once, that says when they change.

The shell makes it from the workspace's PreferencesStore; Settings saves through it and every
reader (the shell, the publisher's settings, the tabs) reads `current` and listens to
`preferences_changed` instead of reading the file again. The window hands it to each tab that
reads preferences (`preferences=`); a tab or dialog made alone (a test) makes its own with
`window_preferences`, which reads the file once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from linkie_desktop.services.preferences import Preferences, PreferencesStore
from linkie_desktop.ui.app_signals import AppSignals


class AppPreferences(QObject):
    preferences_changed = Signal(object)  # the new Preferences

    def __init__(
        self, store: PreferencesStore, signals: AppSignals, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("app-preferences")
        self.store = store
        # Views that only listen on the app's hub hear of a change too.
        self.preferences_changed.connect(lambda _prefs: signals.preferences_changed.emit())

    @property
    def current(self) -> Preferences:
        return self.store.current

    def save(self, prefs: Preferences) -> None:
        """Write the file (ValueError/OSError leave everything as it was), then tell everyone."""
        if prefs == self.store.current:
            return
        self.store.save(prefs)
        self.preferences_changed.emit(prefs)


def window_preferences(
    given: AppPreferences | None, data_dir: Path, signals: AppSignals, parent: QObject
) -> AppPreferences:
    """The window's preferences object when given; otherwise one of the reader's own (the file
    read once, here), so a tab made alone still never reads the file at each use."""
    if given is not None:
        return given
    return AppPreferences(PreferencesStore(data_dir), signals, parent)
