"""The running app, put together: window, tabs, Settings, publisher driver, tray and messages.

Each part is built by its own module; this one only connects them, so a line here reads as
"when X happens there, do Y here". It also owns what the whole window shares: the one task
runner (every database read or write started from the UI), the one preferences object, and the
poll that notices changes made by another process (the CLI) and announces them to every view.

The same poll reads the heartbeats of background publishers (`linkie serve`): while one runs the
status bar says so, and this window's own driver keeps running beside it (the claims keep the
two from sending a post twice, and posts still go out if the background one stops). Closing the
window when that ends Linkie and nothing else would publish the scheduled posts asks first
(ui/close_question.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox, QWidget

from linkie_desktop.db.migrate import sqlite_path
from linkie_desktop.services.activity import Actor, set_process_actor
from linkie_desktop.services.preferences import Preferences, PreferencesStore
from linkie_desktop.services.publisher_config import PublisherConfig, keyring_tokens
from linkie_desktop.ui import start_up_gc
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.import_ahead import ImportAhead
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.lazy_tabs import LazyTab, built_as
from linkie_desktop.ui.main_window import MainWindow
from linkie_desktop.ui.notifications import WindowNotifications
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.publisher_driver import PublisherDriver
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.theme import Theme
from linkie_desktop.ui.tray import Tray

# What only a later step uses (a worker's read, the close question, Settings, a notice, the
# user service) is imported where it is used: the first paint does not wait for it.
if TYPE_CHECKING:
    from linkie_desktop.services import user_service
    from linkie_desktop.services.external_changes import ExternalChangeWatcher, SeenElsewhere
    from linkie_desktop.services.notifications import Notice
    from linkie_desktop.services.oauth import ConnectionInfo
    from linkie_desktop.services.workspace import Workspace
    from linkie_desktop.ui.close_question import Answer, CloseQuestion
    from linkie_desktop.ui.dashboard.tab import DashboardTab
    from linkie_desktop.ui.settings.dialog import SettingsDialog

log = logging.getLogger(__name__)

DASHBOARD_TAB = LazyTab("linkie_desktop.ui.dashboard.tab", "DashboardTab")

STATUS_MESSAGE_MS = 10_000
EXPIRY_CHECK_MS = 6 * 3600 * 1000  # the app may run for days: look again a few times a day
# Changes made by the CLI or another window show within a second (one PRAGMA on the worker).
EXTERNAL_POLL_MS = 1000
START_UP_GC_BOUND_MS = 30_000  # start_up_gc.release() even if the first tab never shows data


class AppShell(QObject):
    """Owns the window and the background parts for one open workspace."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        publish: bool = True,
        tray: Tray | None = None,
        external_poll_ms: int = EXTERNAL_POLL_MS,
    ) -> None:
        super().__init__()
        self.setObjectName("appShell")
        self.workspace = workspace
        set_process_actor(Actor.WINDOW)  # the activity history says "by the window"
        self.signals = AppSignals(self)
        self.tasks = TaskRunner(explain_for(sqlite_path(workspace.config.database_url)), self)
        self.notifications = WindowNotifications(self.tasks, self)
        self.preferences = AppPreferences(
            PreferencesStore(workspace.config.data_dir), self.signals, self
        )
        # Before the window exists, so it is never drawn in the wrong colours first.
        app = QApplication.instance()
        self.theme = (
            Theme(app, self.preferences.current.appearance, self)
            if isinstance(app, QApplication)
            else None
        )
        self.window = MainWindow(
            workspace, self.signals, tasks=self.tasks, preferences=self.preferences
        )
        self.tray = tray or Tray(QApplication.windowIcon(), self)
        self.settings_dialog: SettingsDialog | None = None
        self._quitting = False
        self._told_about_tray = False
        self.background_active = False  # a `linkie serve` heartbeat seen within two ticks
        self.scheduled_count = 0  # what the close question counts; read on every change
        self.close_question: CloseQuestion | None = None
        self._close_answered = False  # the question was answered: this close goes ahead
        self._warned_days_left: int | None = None
        self._expiry_timer = QTimer(self)
        self._expiry_timer.setObjectName("expiry-check-timer")
        self._expiry_timer.setInterval(EXPIRY_CHECK_MS)
        self._expiry_timer.timeout.connect(self.warn_if_connection_expiring)
        self.watcher: ExternalChangeWatcher | None = None
        self.import_ahead: ImportAhead | None = None  # made once start-up is over
        self._external_poll = QTimer(self)
        self._external_poll.setObjectName("external-change-poll")
        self._external_poll.setInterval(external_poll_ms)
        self._external_poll.timeout.connect(self.check_external_changes)

        self.publisher = PublisherDriver(
            workspace.engine,
            self.signals,
            PublisherConfig.from_config(workspace.config, self.preferences.current),
            keyring_tokens(),
            workspace.user_id,
            interval_s=workspace.config.publish_interval_s,
            parent=self,
            tasks=self.tasks,
        )
        self._publish = publish
        self._connect()

    def _connect(self) -> None:
        self.window.settings_requested.connect(self.open_settings)
        self.window.publish_now_requested.connect(self.publish_now)
        self.signals.notify.connect(self.notify)
        self.publisher.notice.connect(self.show_notice)
        self.notifications.open_post_requested.connect(self.show_post)
        self.preferences.preferences_changed.connect(self._apply_preferences)
        self.signals.connection_changed.connect(self.warn_if_connection_expiring)
        # Tabs are built when first shown: connect each as it comes, and those already there.
        self.signals.posts_changed.connect(self._count_scheduled)
        self.window.page_built.connect(self._connect_page)
        self.window.first_data_shown.connect(start_up_gc.release)
        self.window.first_data_shown.connect(self._import_tabs_ahead)
        for key, page in self.window.built_pages().items():
            self._connect_page(key, page)
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

    @Slot(str, QWidget)
    def _connect_page(self, _key: str, page: QWidget) -> None:
        dashboard: DashboardTab | None = built_as(page, DASHBOARD_TAB)
        if dashboard is not None:
            dashboard.show_failed_requested.connect(self.show_failed_posts)
            dashboard.connect_requested.connect(self.open_settings)
            dashboard.new_post_requested.connect(self.write_new_post)

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._note = self._runs_only_while_open_note()
        self.window.statusBar().addPermanentWidget(self._note)
        self._refresh_login_item()
        self.window.show()
        self._count_scheduled()
        self._expiry_timer.start()
        self.warn_if_connection_expiring()
        self._external_poll.start()
        # Start-up is over once the first tab shows its data; a bound for a tab that never does.
        QTimer.singleShot(START_UP_GC_BOUND_MS, self, start_up_gc.release)
        self.check_external_changes()  # the first check opens the watcher: news from now on
        if self._publish:
            self.publisher.start()

    @Slot()
    def _import_tabs_ahead(self) -> None:
        self.import_ahead = ImportAhead(self.window.tab_modules(unbuilt_only=True), self)
        self.import_ahead.start()

    @Slot()
    def check_external_changes(self) -> None:
        self.tasks.run_db(
            self._changed_elsewhere, self._external_checked, owner=self, key=(id(self), "poll")
        )

    def _changed_elsewhere(self) -> tuple[SeenElsewhere | None, bool]:
        """On the database worker, where the watcher is made and asked: no SQL on the GUI.
        (what another process changed, a background publisher is active)"""
        from linkie_desktop.services import presence
        from linkie_desktop.services.external_changes import ExternalChangeWatcher

        engine, interval_s = self.workspace.engine, self.workspace.config.publish_interval_s
        background = bool(presence.active(engine, presence.Kind.SERVE, interval_s))
        if self.watcher is None:
            self.watcher = ExternalChangeWatcher(engine)
        return self.watcher.look(), background

    def _external_checked(self, seen: tuple[SeenElsewhere | None, bool]) -> None:
        changed, background = seen
        self._show_background(background)
        if changed is None:
            return  # nothing, or only what no view shows (a background publisher's heartbeat)
        # Another process (the CLI, linkie serve, a second window) wrote: the views update those
        # posts (all of them when posts went away); the publisher re-arms its timer from it.
        if changed.posts:
            log.info("posts were changed by another program; updating the views")
            self.signals.announce_posts(
                () if changed.everything else changed.post_ids, initiator=None
            )
        if changed.settings:
            self.signals.connection_changed.emit()

    def _runs_only_while_open_note(self) -> QLabel:
        where = "in the tray" if self.tray.available else "open"
        note = QLabel(f"Posts go out while Linkie runs — keep it {where}")
        note.setObjectName("statusRunsWhileOpen")
        note.setAccessibleName("Publishing happens only while Linkie runs")
        note.setToolTip(
            "Linkie publishes scheduled posts only while it is running. Turn on Settings › "
            "General › Publish in the background, or Start at login, to publish while the "
            "window is closed."
        )
        return note

    def _show_background(self, active: bool) -> None:
        """The status bar says whether a background publisher runs; the note that posts go out
        only while the window runs is then not true, and steps aside."""
        if active == self.background_active:
            return
        self.background_active = active
        log.info("background publisher %s", "active" if active else "not active")
        self.window.background_label.setVisible(active)
        self._note.setVisible(not active)
        self.tray.set_background_active(active)

    @Slot(object)
    def _count_scheduled(self, _change: PostsChanged | None = None) -> None:
        engine, user_id = self.workspace.engine, self.workspace.user_id

        def count() -> int:  # on the database worker
            from linkie_desktop.services.posts import PostQuery, PostService

            return PostService(engine, user_id).count(PostQuery(statuses=("scheduled",)))

        self.tasks.run_db(
            count,
            self._scheduled_counted,
            owner=self,
            key=(id(self), "scheduled count"),
        )

    def _scheduled_counted(self, count: int) -> None:
        self.scheduled_count = count

    def _refresh_login_item(self) -> None:
        """An older Linkie's Start at login entry started the window; Settings writes one for
        no particular database: both now start `linkie serve` on this one."""
        from linkie_desktop.services import autostart

        try:
            if autostart.refresh(self.workspace.config.database_url):
                log.info("the Start at login entry now starts the background publisher")
        except OSError as exc:
            log.warning("the Start at login entry could not be updated: %s", exc)

    def shutdown(self) -> None:
        """After the window closed (its tabs flushed their text): stop the timers, let the
        runner finish what it was given, and only then may the workspace close."""
        self._external_poll.stop()
        self._expiry_timer.stop()
        if self.import_ahead is not None:
            self.import_ahead.stop()
        self.publisher.stop()
        self.tasks.close()  # what was given finishes; nothing new starts
        self.notifications.close()
        if self.theme is not None:
            self.theme.release()
        if self.watcher is not None:
            self.watcher.close()  # the worker is idle: nobody else is using it now
            self.watcher = None

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
            return self._keep_running_in_tray(event) or self._ask_before_closing(event)
        return super().eventFilter(watched, event)

    def _ask_before_closing(self, event: QEvent) -> bool:
        """Closing ends Linkie here (no tray, or not kept there): when posts are scheduled and
        no background publisher would send them, ask first. True: the close waits for the answer."""
        if self._close_answered:
            return False
        if not self.publisher.started or self.background_active or self.scheduled_count == 0:
            return False
        if self.close_question is not None:  # asked already: the same question again
            self.close_question.raise_()
            event.ignore()
            return True
        from linkie_desktop.services import autostart
        from linkie_desktop.ui.close_question import CloseQuestion

        question = CloseQuestion(self.scheduled_count, autostart.is_supported(), self.window)
        quitting = self._quitting  # File › Quit or the tray's Quit, not only the window's ✕
        question.answered.connect(lambda answer: self._closing(answer, quitting))
        self.close_question = question
        event.ignore()
        question.open()
        return True

    def _closing(self, answer: Answer, quitting: bool) -> None:
        from linkie_desktop.ui.close_question import Answer

        question, self.close_question = self.close_question, None
        if question is not None:
            question.deleteLater()
        if answer is Answer.CANCEL:
            return
        if answer is Answer.KEEP_PUBLISHING:
            install = question is not None and question.install_chosen
            self.keep_publishing(install, then=lambda: self._close_now(quitting))
            return
        self._close_now(quitting)

    def _close_now(self, quitting: bool) -> None:
        self._close_answered = True
        if quitting:
            self.quit()
        else:
            self.window.close()
        self._close_answered = False  # the window may be shown again (a failed close)

    def keep_publishing(self, install: bool, then: Callable[[], None]) -> None:
        """Posts go on going out once the window is closed: the user service when asked for
        (installed and started by systemd), else `linkie serve` started on its own."""
        from linkie_desktop.services import user_service

        command = self._serve_command()
        if command is None:
            return  # said why; the window stays open

        def started_by_systemd(outcome: user_service.Outcome) -> None:
            log.info("user service: %s", outcome.message)
            if not outcome.running:
                self._start_serve(command)
            then()

        def not_installed(reason: str) -> None:
            log.warning("the user service could not be installed: %s", reason)
            self._start_serve(command)
            then()

        if install:
            self.tasks.run_network(
                lambda: user_service.install(command), started_by_systemd, not_installed, owner=self
            )
            return
        self._start_serve(command)
        then()

    def _serve_command(self) -> list[str] | None:
        """This database's `linkie serve`, or None (said in a dialog) when its address cannot go
        on a command line (it holds a password)."""
        from linkie_desktop.domain.posts import ValidationError
        from linkie_desktop.services import user_service

        try:
            return user_service.serve_command(
                user_service.linkie_executable(), self.workspace.config.database_url
            )
        except ValidationError as exc:
            QMessageBox.warning(self.window, "Background publishing did not start", str(exc))
            return None

    def _start_serve(self, command: list[str]) -> None:
        from linkie_desktop.services.serve import start_in_background

        try:
            start_in_background(command)
        except OSError as exc:
            log.error("linkie serve could not be started: %s", exc)
            QMessageBox.warning(
                self.window,
                "Background publishing did not start",
                f"linkie serve could not be started ({exc}). Scheduled posts go out the next "
                "time Linkie runs.",
            )

    def _keep_running_in_tray(self, event: QEvent) -> bool:
        prefs = self.preferences.current
        if self._quitting or not self.tray.available or not prefs.minimize_to_tray:
            return False
        assert isinstance(event, QCloseEvent)
        self.window.save_state()
        self.window.hide()
        event.ignore()
        if not self._told_about_tray:
            self._told_about_tray = True
            self.tray.notify(  # about the tray icon itself, so told there
                "Linkie is still running",
                "It keeps publishing your scheduled posts. Quit from the tray icon's menu.",
            )
        return True

    # --- actions ----------------------------------------------------------------------------

    @Slot()
    def warn_if_connection_expiring(self) -> None:
        """LinkedIn tokens last 60 days and usually cannot be refreshed: say so in time, once a
        day of the countdown (the status bar keeps saying it meanwhile)."""
        engine, user_id = self.workspace.engine, self.workspace.user_id

        def status() -> ConnectionInfo:  # on the database worker
            from linkie_desktop.services.oauth import connection_status

            return connection_status(engine, user_id)

        self.tasks.run_db(
            status,
            self._warn_if_expiring,
            owner=self,
            key=(id(self), "expiry"),
        )

    def _warn_if_expiring(self, info: ConnectionInfo) -> None:
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
            # Imported when first opened: its pages cost ~40 ms that start-up need not wait for.
            from linkie_desktop.ui.settings.dialog import SettingsDialog

            self.settings_dialog = SettingsDialog(
                self.workspace,
                self.signals,
                self.window,
                preferences=self.preferences,
                tasks=self.tasks,
            )
            self.settings_dialog.finished.connect(self._settings_closed)
            general = self.settings_dialog.general
            general.background_publishing_requested.connect(self.set_background_service)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()

    @Slot(bool)
    def set_background_service(self, wanted: bool) -> None:
        """Settings › General › Publish in the background: install (and start) or remove the
        user service, off the GUI thread (systemctl may take a moment); the page says how it went.
        """
        from linkie_desktop.services import user_service

        command = self._serve_command()
        if command is None:
            return

        def work() -> user_service.Outcome:
            return user_service.install(command) if wanted else user_service.remove()

        def done(outcome: user_service.Outcome) -> None:
            log.info("user service: %s", outcome.message)
            if self.settings_dialog is not None:
                self.settings_dialog.general.show_background_outcome(outcome.message)
            self.check_external_changes()  # its heartbeat shows within a second

        def failed(reason: str) -> None:
            if self.settings_dialog is not None:
                self.settings_dialog.general.show_background_outcome(
                    f"The user service could not be written: {reason}"
                )

        self.tasks.run_network(work, done, failed, owner=self, key=(id(self), "user service"))

    @Slot(int)
    def _settings_closed(self, _result: int) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    @Slot(object)
    def _apply_preferences(self, prefs: Preferences) -> None:
        self.publisher.set_config(PublisherConfig.from_config(self.workspace.config, prefs))
        self._refresh_login_item()  # Start at login may have just been written
        if self.theme is not None:
            self.theme.set_appearance(prefs.appearance)  # every window, at once

    @Slot(str)
    def publish_now(self, post_id: str) -> None:
        self.window.statusBar().showMessage("Publishing now…", STATUS_MESSAGE_MS)
        self.publisher.publish_now(post_id, self._cannot_publish)

    def _cannot_publish(self, reason: str) -> None:
        self.window.statusBar().clearMessage()
        QMessageBox.information(self.window, "Cannot publish this post", reason)

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
        """A message for the user from any part of the window (a warning that needs them)."""
        from linkie_desktop.services.notifications import Notice

        self.show_notice(Notice(title, message, failure=True))

    @Slot(object)
    def show_notice(self, notice: Notice) -> None:
        """The status bar says it; while the user is away the desktop's notifications do too, as
        Settings › Notifications allows (the tray's balloon when the desktop has no server)."""
        from linkie_desktop.services.notifications import wanted

        log.info("notification: %s", notice.title.split(":", 1)[0])  # "Published: <title>"
        self.window.statusBar().showMessage(f"{notice.title} — {notice.body}", STATUS_MESSAGE_MS)
        away = self.window.isHidden() or not self.window.isActiveWindow()
        if away and wanted(notice, self.preferences.current.notifications):
            self.notifications.show(notice, self._tray_instead)

    def _tray_instead(self, notice: Notice) -> None:
        self.tray.notify(notice.title, notice.body)

    @Slot(str)
    def show_post(self, post_id: str) -> None:
        """A notification's Open (the window's own, or `linkie-desktop --open-post` from the
        background publisher's, handed over by ui/single_instance.py): the window comes forward
        with the post in Drafts."""
        self.show_window()
        self.signals.open_post_requested.emit(post_id)
