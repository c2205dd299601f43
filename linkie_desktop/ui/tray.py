"""The tray icon: where publishing outcomes are announced, and how a hidden window comes back.

Linkie publishes only while it runs, so closing the window can keep it in the tray (a preference);
where the desktop has no tray, outcomes go to the status bar instead and closing quits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from linkie_desktop import DISPLAY_NAME

NOTIFICATION_MS = 8000


class Tray(QObject):
    """Announces outcomes; `show_requested` / `quit_requested` come from its menu or a click."""

    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(icon, self)
        tray.setToolTip(DISPLAY_NAME)
        self._menu = QMenu()
        show = QAction(f"Show {DISPLAY_NAME}", self._menu)
        show.triggered.connect(self.show_requested)
        quit_action = QAction("Quit (stops publishing)", self._menu)
        quit_action.triggered.connect(self.quit_requested)
        self._menu.addAction(show)
        self._menu.addSeparator()
        self._menu.addAction(quit_action)
        tray.setContextMenu(self._menu)
        tray.activated.connect(self._on_activated)
        tray.show()
        self._icon = tray

    @property
    def available(self) -> bool:
        return self._icon is not None

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_requested.emit()

    def notify(self, title: str, message: str) -> bool:
        """Show a tray message; False when there is no tray (the caller shows it elsewhere)."""
        if self._icon is None or not QSystemTrayIcon.supportsMessages():
            return False
        self._icon.showMessage(
            title, message, QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS
        )
        return True
