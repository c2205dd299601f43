"""The main window: one tab per job, a menu bar, a status bar, and its size and tab remembered.

Tabs are built from small factories `(workspace, signals) -> QWidget` (`default_tabs()`), so a
test or a new screen swaps one without touching the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from linkie_desktop import DISPLAY_NAME, __version__
from linkie_desktop.services.overview import linkedin_connection, next_scheduled_post
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.calendar.tab import CalendarTab
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.drafts.model import local_time_text
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.studio.tab import StudioTab
from linkie_desktop.ui.widgets.accessible import named

TabFactory = Callable[[Workspace, AppSignals], QWidget]
WINDOW_STATE_FILE = "window-state.ini"


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str
    factory: TabFactory


def default_tabs() -> tuple[TabSpec, ...]:
    return (
        TabSpec("dashboard", "Dashboard", DashboardTab),
        TabSpec("drafts", "Drafts", DraftsTab),
        TabSpec("calendar", "Calendar", CalendarTab),
        TabSpec("studio", "Studio", StudioTab),
        TabSpec("analytics", "Analytics", AnalyticsTab),
    )


def window_state_store(workspace: Workspace) -> QSettings:
    """Window geometry lives beside the database's data folder, so each profile keeps its own."""
    path = Path(workspace.config.data_dir) / WINDOW_STATE_FILE
    return QSettings(str(path), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    settings_requested = Signal()  # File › Settings…: the app opens the settings dialog
    publish_now_requested = Signal(str)  # post id: the publisher driver sends it

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals | None = None,
        tabs: Sequence[TabSpec] | None = None,
        window_state: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.signals = signals or AppSignals(self)
        self._state = window_state or window_state_store(workspace)
        self.setObjectName("mainWindow")
        self.setWindowTitle(DISPLAY_NAME)

        self.tabs = named(QTabWidget(), "mainTabs", "Sections")
        self.tabs.setDocumentMode(True)
        self._pages: dict[str, QWidget] = {}
        for spec in tabs if tabs is not None else default_tabs():
            page = spec.factory(workspace, self.signals)
            self._pages[spec.key] = page
            self.tabs.addTab(page, spec.title)
            # Any tab may offer "Publish now" (Drafts, Calendar): one signal for the driver.
            request = getattr(page, "publish_now_requested", None)
            if isinstance(request, SignalInstance):
                request.connect(self.publish_now_requested)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status_bar()
        self.about_box: QMessageBox | None = None
        self._restore_state()

    # --- tabs ------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        return self._pages.get(key)

    @property
    def drafts(self) -> DraftsTab | None:
        page = self._pages.get("drafts")
        return page if isinstance(page, DraftsTab) else None

    def show_tab(self, key: str) -> None:
        page = self._pages.get(key)
        if page is not None:
            self.tabs.setCurrentWidget(page)

    # --- menus -----------------------------------------------------------------------------------

    def _menu_action(self, key: str, text: str, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{key}Action")
        if shortcut is not None:
            action.setShortcut(shortcut)
        return action

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        menu_bar.setObjectName("menuBar")
        file_menu = menu_bar.addMenu("&File")
        file_menu.setObjectName("fileMenu")
        drafts = self.drafts
        if drafts is not None:
            # "Open this post" from any tab (calendar, dashboard) lands in the Drafts composer.
            self.signals.open_post_requested.connect(lambda _post_id: self.show_tab("drafts"))
            # The Drafts tab owns these actions (their shortcuts work from any tab).
            self.new_post_action = drafts.new_action
            self.new_post_action.triggered.connect(lambda: self.show_tab("drafts"))
            self.addAction(self.new_post_action)
            self.addAction(drafts.save_action)
            file_menu.addAction(self.new_post_action)
            file_menu.addAction(drafts.save_action)
            file_menu.addSeparator()
        self.settings_action = self._menu_action(
            "settings", "&Settings…", QKeySequence(QKeySequence.StandardKey.Preferences)
        )
        self.settings_action.triggered.connect(self.settings_requested)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.quit_action = self._menu_action("quit", "&Quit", QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        if drafts is not None:
            # Every post action is reachable from the keyboard through the menu bar (Alt+P).
            post_menu = menu_bar.addMenu("&Post")
            post_menu.setObjectName("postMenu")
            post_menu.setToolTipsVisible(True)  # e.g. why Publish now is unavailable
            post_menu.aboutToShow.connect(lambda: self.show_tab("drafts"))
            for action in drafts.post_actions():
                if action is None:
                    post_menu.addSeparator()
                elif action is not self.new_post_action:
                    post_menu.addAction(action)
            post_menu.addSeparator()
            post_menu.addAction(drafts.find_action)

        help_menu = menu_bar.addMenu("&Help")
        help_menu.setObjectName("helpMenu")
        self.about_action = self._menu_action("about", f"&About {DISPLAY_NAME}")
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def show_about(self) -> None:
        self.about_box = QMessageBox(self)
        named(self.about_box, "aboutDialog", f"About {DISPLAY_NAME}")
        self.about_box.setWindowTitle(f"About {DISPLAY_NAME}")
        self.about_box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        self.about_box.setText(f"<b>{DISPLAY_NAME}</b> {__version__}")
        self.about_box.setInformativeText(
            "Write, schedule and publish LinkedIn posts from your own computer.\n"
            "Linkie publishes scheduled posts while it is running."
        )
        self.about_box.open()

    # --- status bar ------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.connection_label = named(QLabel(""), "statusConnection", "LinkedIn connection")
        self.next_post_label = named(QLabel(""), "statusNextPost", "Next scheduled post")
        for label in (self.next_post_label, self.connection_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self.signals.posts_changed.connect(lambda _change: self.refresh_status())
        self.signals.connection_changed.connect(self.refresh_status)
        self.refresh_status()

    def refresh_status(self) -> None:
        engine, user_id = self.workspace.engine, self.workspace.user_id
        connection = linkedin_connection(engine, user_id)
        self.connection_label.setText(connection.status_line())
        self.connection_label.setToolTip(connection.summary())
        upcoming = next_scheduled_post(engine, user_id)
        if upcoming is None:
            self.next_post_label.setText("Nothing scheduled")
        else:
            when = local_time_text(upcoming.scheduled_at)
            self.next_post_label.setText(f"Next: {when} — {upcoming.label}")

    # --- remembered state ------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self._state.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        last_tab = self._state.value("window/tab", "dashboard")  # first run: the welcome
        self.show_tab(str(last_tab) if str(last_tab) in self._pages else "drafts")

    def save_state(self) -> None:
        self._state.setValue("window/geometry", self.saveGeometry())
        current = self.tabs.currentWidget()
        for key, page in self._pages.items():
            if page is current:
                self._state.setValue("window/tab", key)
        self._state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        unsaved = False
        for page in self._pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown) and shutdown() is False:
                unsaved = True
        if unsaved and not self._close_anyway():
            event.ignore()
            return
        self.save_state()
        super().closeEvent(event)

    def _close_anyway(self) -> bool:
        """Text that could not be saved is never dropped silently: the user decides."""
        answer = QMessageBox.warning(
            self,
            "Unsaved text",
            "Your latest typing could not be saved (the database is busy or unavailable).\n"
            "Close anyway and lose it, or stay and try again?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard
