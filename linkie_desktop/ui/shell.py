"""The running app, put together: window, tabs, Settings, publisher driver, tray and messages.

Each part is built by its own module; this one only connects them, so a line here reads as
"when X happens there, do Y here".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox

from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.services.oauth import connection_status
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.publisher import PublisherConfig, keyring_tokens
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.main_window import MainWindow
from linkie_desktop.ui.publisher_driver import PublisherDriver
from linkie_desktop.ui.settings.dialog import SettingsDialog
from linkie_desktop.ui.tray import Tray

log = logging.getLogger(__name__)

STATUS_MESSAGE_MS = 10_000
EXPIRY_CHECK_MS = 6 * 3600 * 1000  # the app may run for days: look again a few times a day


class AppShell(QObject):
    """Owns the window and the background parts for one open workspace."""

    def __init__(
        self, workspace: Workspace, *, publish: bool = True, tray: Tray | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("appShell")
        self.workspace = workspace
        self.signals = AppSignals(self)
        self.window = MainWindow(workspace, self.signals)
        self.tray = tray or Tray(QApplication.windowIcon(), self)
        self.settings_dialog: SettingsDialog | None = None
        self._quitting = False
        self._told_about_tray = False
        self._warned_days_left: int | None = None
        self._expiry_timer = QTimer(self)
        self._expiry_timer.setObjectName("expiry-check-timer")
        self._expiry_timer.setInterval(EXPIRY_CHECK_MS)
        self._expiry_timer.timeout.connect(self.warn_if_connection_expiring)

        prefs = load_preferences(workspace.config.data_dir)
        self.publisher = PublisherDriver(
            workspace.engine,
            self.signals,
            PublisherConfig.from_config(workspace.config, prefs),
            keyring_tokens(),
            workspace.user_id,
            interval_s=workspace.config.publish_interval_s,
            parent=self,
        )
        self._publish = publish
        self._connect()

    def _connect(self) -> None:
        self.window.settings_requested.connect(self.open_settings)
        self.window.publish_now_requested.connect(self.publish_now)
        self.signals.notify.connect(self.notify)
        self.signals.preferences_changed.connect(self._apply_preferences)
        self.signals.connection_changed.connect(self.warn_if_connection_expiring)
        dashboard = self.window.page("dashboard")
        if isinstance(dashboard, DashboardTab):
            dashboard.show_failed_requested.connect(self.show_failed_posts)
            dashboard.connect_requested.connect(self.open_settings)
            dashboard.new_post_requested.connect(self.write_new_post)
        self.tray.show_requested.connect(self.show_window)
        self.tray.publish_due_requested.connect(self.publisher.run_pass)
        self.tray.quit_requested.connect(self.quit)
        # File › Quit means quit, even when closing the window would only hide it in the tray.
        self.window.quit_action.triggered.disconnect()
        self.window.quit_action.triggered.connect(self.quit)
        self.window.installEventFilter(self)
        # With a tray the window may hide while Linkie keeps publishing; quitting is explicit.
        app = QApplication.instance()
        if isinstance(app, QApplication) and self.tray.available:
            app.setQuitOnLastWindowClosed(False)

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        self.window.statusBar().addPermanentWidget(self._runs_only_while_open_note())
        self.window.show()
        self._expiry_timer.start()
        self.warn_if_connection_expiring()
        if self._publish:
            self.publisher.start()

    def _runs_only_while_open_note(self) -> QLabel:
        where = "in the tray" if self.tray.available else "open"
        note = QLabel(f"Posts go out while Linkie runs — keep it {where}")
        note.setObjectName("statusRunsWhileOpen")
        note.setAccessibleName("Publishing happens only while Linkie runs")
        note.setToolTip(
            "Linkie publishes scheduled posts only while it is running. Turn on "
            "Settings › General › Start at login so it is always running."
        )
        return note

    def shutdown(self) -> None:
        self.publisher.stop()

    @Slot()
    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    @Slot()
    def quit(self) -> None:
        self._quitting = True
        if self.window.close():
            app = QApplication.instance()
            if app is not None:
                app.quit()
        else:
            self._quitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window and event.type() == QEvent.Type.Close:
            return self._keep_running_in_tray(event)
        return super().eventFilter(watched, event)

    def _keep_running_in_tray(self, event: QEvent) -> bool:
        prefs = load_preferences(self.workspace.config.data_dir)
        if self._quitting or not self.tray.available or not prefs.minimize_to_tray:
            return False
        assert isinstance(event, QCloseEvent)
        self.window.save_state()
        self.window.hide()
        event.ignore()
        if not self._told_about_tray:
            self._told_about_tray = True
            self.notify(
                "Linkie is still running",
                "It keeps publishing your scheduled posts. Quit from the tray icon's menu.",
            )
        return True

    # --- actions ----------------------------------------------------------------------------

    @Slot()
    def warn_if_connection_expiring(self) -> None:
        """LinkedIn tokens last 60 days and usually cannot be refreshed: say so in time, once a
        day of the countdown (the status bar keeps saying it meanwhile)."""
        info = connection_status(self.workspace.engine, self.workspace.user_id)
        if not info.expiring_soon or info.days_left == self._warned_days_left:
            return
        self._warned_days_left = info.days_left
        self.signals.notify.emit(
            "Reconnect LinkedIn soon",
            f"{info.status_line().removeprefix('LinkedIn: ')}. Until then scheduled posts "
            "go out as usual; after it they wait for you.",
        )

    @Slot()
    def open_settings(self) -> None:
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self.workspace, self.signals, self.window)
            self.settings_dialog.finished.connect(self._settings_closed)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()

    @Slot(int)
    def _settings_closed(self, _result: int) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    @Slot()
    def _apply_preferences(self) -> None:
        prefs = load_preferences(self.workspace.config.data_dir)
        self.publisher.set_config(PublisherConfig.from_config(self.workspace.config, prefs))

    @Slot(str)
    def publish_now(self, post_id: str) -> None:
        try:
            self.publisher.publish_now(post_id)
        except ValidationError as exc:
            QMessageBox.information(self.window, "Cannot publish this post", str(exc))
            return
        self.window.statusBar().showMessage("Publishing now…", STATUS_MESSAGE_MS)

    @Slot()
    def write_new_post(self) -> None:
        self.window.show_tab("drafts")
        drafts = self.window.drafts
        if drafts is not None:
            drafts.new_post()

    @Slot()
    def show_failed_posts(self) -> None:
        self.window.show_tab("drafts")
        drafts = self.window.page("drafts")
        status_filter = drafts.findChild(QComboBox, "statusFilter") if drafts else None
        if status_filter is not None:
            index = status_filter.findText("Failed")
            if index >= 0:
                status_filter.setCurrentIndex(index)

    @Slot(str, str)
    def notify(self, title: str, message: str) -> None:
        log.info("notification: %s", title.split(":", 1)[0])  # "Published: <title>": no title
        away = self.window.isHidden() or not self.window.isActiveWindow()
        if away and self.tray.notify(title, message):
            return
        self.window.statusBar().showMessage(f"{title} — {message}", STATUS_MESSAGE_MS)
