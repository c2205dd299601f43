"""The tray icon: where publishing outcomes are announced, and how a hidden window comes back.

Linkie's window publishes while it runs, so closing the window can keep it in the tray (a
preference); where the desktop has no tray, outcomes go to the status bar instead and closing
quits. While a background publisher (`linkie serve`) runs, Quit no longer stops publishing, and
its menu item says so.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from linkie_desktop import DISPLAY_NAME

NOTIFICATION_MS = 8000
QUIT_STOPS_PUBLISHING = "Quit (stops publishing)"
QUIT_KEEPS_PUBLISHING = "Quit (publishing goes on in the background)"


class Tray(QObject):
    """Announces outcomes; its menu (Open, Publish due posts now, Quit) answers with signals."""

    show_requested = Signal()
    publish_due_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon: QSystemTrayIcon | None = None
        # The menu exists even without a tray, so its actions stay testable and reusable.
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.actions: dict[str, QAction] = {}
        for key, text, signal in (
            ("trayOpen", f"Open {DISPLAY_NAME}", self.show_requested),
            ("trayPublishDue", "Publish due posts now", self.publish_due_requested),
            ("trayQuit", QUIT_STOPS_PUBLISHING, self.quit_requested),
        ):
            action = QAction(text, self.menu)
            action.setObjectName(key)
            action.triggered.connect(signal)
            self.menu.addAction(action)
            self.actions[key] = action
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(icon, self)
        tray.setToolTip(DISPLAY_NAME)
        tray.setContextMenu(self.menu)
        tray.activated.connect(self._on_activated)
        tray.show()
        self._icon = tray

    @property
    def available(self) -> bool:
        return self._icon is not None

    def set_background_active(self, active: bool) -> None:
        """A background publisher runs (or stopped): Quit says what it stops."""
        quit_action = self.actions["trayQuit"]
        quit_action.setText(QUIT_KEEPS_PUBLISHING if active else QUIT_STOPS_PUBLISHING)

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
