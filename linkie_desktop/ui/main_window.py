"""The main window: one tab per job, a menu bar, a status bar, and its size and tab remembered.

Tabs are built from small factories `(workspace, signals, *, tasks) -> QWidget`
(`default_tabs()`), so a test or a new screen swaps one without touching the window; a factory
that takes `preferences` also gets the window's one preferences object. A tab is
built when it is first shown (or first asked for with `page(key)`): start-up builds only the tab
on screen, behind a placeholder for each of the others. `page_built` tells the shell of each
one, so its connections hold for tabs built later.

Keys: Ctrl+Tab / Ctrl+PgDn and Ctrl+Shift+Tab / Ctrl+PgUp move between tabs wherever the focus
is (the post editor included), every menu item has an access key (ui/help/keys.py gives the
missing ones when a menu opens), and Help › Keyboard shortcuts lists them all from the actions.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, QUrl, Signal, SignalInstance, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QTabWidget, QWidget

from linkie_desktop import DISPLAY_NAME
from linkie_desktop.services.overview import StatusBarFigures, status_bar_figures
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.help.keys import give_access_keys, give_menus_access_keys
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.lazy_tabs import LazyTab, built_as
from linkie_desktop.ui.preferences import AppPreferences, window_preferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.local_time import local_time_text

if TYPE_CHECKING:
    from linkie_desktop.ui.activity.tab import ActivityTab
    from linkie_desktop.ui.drafts.tab import DraftsTab
    from linkie_desktop.ui.help.shortcuts_dialog import ShortcutsDialog

DRAFTS_TAB = LazyTab(
    "linkie_desktop.ui.drafts.tab",
    "DraftsTab",
    shown_modules=("linkie_desktop.ui.drafts.composer", "linkie_desktop.ui.drafts.preview"),
)
ACTIVITY_TAB = LazyTab("linkie_desktop.ui.activity.tab", "ActivityTab")

WINDOW_STATE_FILE = "window-state.ini"
EVERYWHERE = "Everywhere in the window"

OpenUrl = Callable[[QUrl], bool]


class TabFactory(Protocol):
    """Builds one tab; `tasks` is the window's runner, the one door to the database."""

    def __call__(
        self, workspace: Workspace, signals: AppSignals, /, *, tasks: TaskRunner
    ) -> QWidget: ...


class PreferencesTabFactory(Protocol):
    """Builds a tab that reads preferences: it gets the window's one preferences object too."""

    def __call__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        /,
        *,
        tasks: TaskRunner,
        preferences: AppPreferences,
    ) -> QWidget: ...


class StatefulTabFactory(Protocol):
    """Builds a tab that also keeps something in the window's state file (the open post)."""

    def __call__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        /,
        *,
        tasks: TaskRunner,
        preferences: AppPreferences,
        window_state: QSettings,
    ) -> QWidget: ...


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str
    factory: TabFactory | PreferencesTabFactory | LazyTab


def default_tabs() -> tuple[TabSpec, ...]:
    # Each tab's module is imported when the tab is first built or, after start-up, while the
    # window is idle (ui/import_ahead.py), never before the first tab's data is on screen: the
    # other tabs' modules cost ~80 ms a user who opens on the Dashboard does not wait for.
    return (
        TabSpec(
            "dashboard", "Dashboard", LazyTab("linkie_desktop.ui.dashboard.tab", "DashboardTab")
        ),
        TabSpec("drafts", "Drafts", DRAFTS_TAB),
        TabSpec("calendar", "Calendar", LazyTab("linkie_desktop.ui.calendar.tab", "CalendarTab")),
        TabSpec("studio", "Studio", LazyTab("linkie_desktop.ui.studio.tab", "StudioTab")),
        TabSpec(
            "analytics", "Analytics", LazyTab("linkie_desktop.ui.analytics.tab", "AnalyticsTab")
        ),
        TabSpec("activity", "Activity", ACTIVITY_TAB),
    )


def _accepts_keyword(factory: Callable[..., object], name: str) -> bool:
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):  # a builtin without a signature: only the protocol's
        return False
    parameter = parameters.get(name)
    if parameter is not None:
        return parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD)
    return any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def window_state_store(workspace: Workspace) -> QSettings:
    """Window geometry lives beside the database's data folder, so each profile keeps its own."""
    path = Path(workspace.config.data_dir) / WINDOW_STATE_FILE
    return QSettings(str(path), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    settings_requested = Signal()  # File › Settings…: the app opens the settings dialog
    publish_now_requested = Signal(str)  # post id: the publisher driver sends it
    page_built = Signal(str, QWidget)  # (key, page): a tab was just built (first shown)
    # The tab on screen at start has its data on screen (a tab with a `data_shown` signal says
    # so; any other counts once built). `linkie-desktop --smoke` exits on it.
    first_data_shown = Signal()

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals | None = None,
        tabs: Sequence[TabSpec] | None = None,
        window_state: QSettings | None = None,
        tasks: TaskRunner | None = None,
        preferences: AppPreferences | None = None,
        open_url: OpenUrl = QDesktopServices.openUrl,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self._open_url = open_url  # the file manager, for Help › Open log folder
        self.signals = signals or AppSignals(self)
        # The shell's one preferences object; a window made alone (tests) reads the file once.
        self.preferences = window_preferences(
            preferences, workspace.config.data_dir, self.signals, self
        )
        # The shell hands in the window's runner; a window made alone (tests) gets its own.
        self._owns_tasks = tasks is None
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        self._state = window_state or window_state_store(workspace)
        self.setObjectName("mainWindow")
        self.setWindowTitle(DISPLAY_NAME)

        self.tabs = named(QTabWidget(), "mainTabs", "Sections")
        self.tabs.setDocumentMode(True)
        self._specs: dict[str, TabSpec] = {}
        self._pages: dict[str, QWidget] = {}
        self._first_data_pending = True
        for spec in tabs if tabs is not None else default_tabs():
            self._specs[spec.key] = spec
            placeholder = QWidget()
            placeholder.setObjectName(f"{spec.key}NotBuiltYet")
            self.tabs.addTab(placeholder, spec.title)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self._build_status_bar()
        self.about_box: QMessageBox | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._restore_state()
        self.tabs.currentChanged.connect(self._tab_shown)
        self._watch_first_data()

    # --- tabs ------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        """The tab `key`, built now if it was not yet (None: no such tab)."""
        page = self._pages.get(key)
        if page is None and key in self._specs:
            page = self._build_page(key)
        return page

    def built_pages(self) -> dict[str, QWidget]:
        return dict(self._pages)

    def tab_keys(self) -> list[str]:
        return list(self._specs)

    def tab_modules(self, *, unbuilt_only: bool = False) -> list[str]:
        """Every module a tab is imported by name from (ui/lazy_tabs.py), in the tabs' order;
        `unbuilt_only`: of the tabs not built yet (what to import ahead)."""
        return [
            module
            for key, spec in self._specs.items()
            if isinstance(spec.factory, LazyTab) and not (unbuilt_only and key in self._pages)
            for module in spec.factory.modules
        ]

    @property
    def drafts(self) -> DraftsTab | None:
        drafts: DraftsTab | None = built_as(self.page("drafts"), DRAFTS_TAB)
        return drafts

    def show_tab(self, key: str) -> None:
        page = self.page(key)
        if page is not None:
            self.tabs.setCurrentWidget(page)

    @Slot(int)
    def _tab_shown(self, index: int) -> None:
        key = list(self._specs)[index] if 0 <= index < len(self._specs) else None
        if key is not None and key not in self._pages:
            self._build_page(key)

    def _build_page(self, key: str) -> QWidget:
        spec = self._specs[key]
        page = self._make_page(spec.factory)
        self._pages[key] = page
        index = list(self._specs).index(key)
        placeholder = self.tabs.widget(index)
        current = self.tabs.currentIndex()
        blocked = self.tabs.blockSignals(True)  # a swap, not the user moving to another tab
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, spec.title)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        if placeholder is not None:
            placeholder.deleteLater()
        # Any tab may offer "Publish now" (Drafts, Calendar): one signal for the driver.
        request = getattr(page, "publish_now_requested", None)
        if isinstance(request, SignalInstance):
            request.connect(self.publish_now_requested)
        # Every tab's post actions offer Show activity: the Activity tab shows that post's.
        for actions in page.findChildren(QObject, "postActions"):
            wanted = getattr(actions, "show_activity_requested", None)
            if isinstance(wanted, SignalInstance):
                wanted.connect(self.show_activity)
        drafts = built_as(page, DRAFTS_TAB)
        if drafts is not None:
            self._drafts_built(drafts)
        self.page_built.emit(key, page)
        return page

    @Slot(str)
    def show_activity(self, post_id: str) -> None:
        """The Activity tab, showing one post's history."""
        self.show_tab("activity")
        activity: ActivityTab | None = built_as(self.page("activity"), ACTIVITY_TAB)
        if activity is not None:
            activity.show_post(post_id)

    def _make_page(self, factory: TabFactory | PreferencesTabFactory | LazyTab) -> QWidget:
        """The runner for every tab; the preferences object for a tab that reads preferences
        (its factory takes `preferences`), so no tab reads the file itself."""
        if isinstance(factory, LazyTab):
            factory = cast(TabFactory | PreferencesTabFactory, factory.resolve())
        if _accepts_keyword(factory, "preferences"):
            reader = cast(PreferencesTabFactory, factory)
            if _accepts_keyword(factory, "window_state"):  # the Drafts tab reopens its post
                return cast(StatefulTabFactory, factory)(
                    self.workspace,
                    self.signals,
                    tasks=self.tasks,
                    preferences=self.preferences,
                    window_state=self._state,
                )
            return reader(
                self.workspace, self.signals, tasks=self.tasks, preferences=self.preferences
            )
        return cast(TabFactory, factory)(self.workspace, self.signals, tasks=self.tasks)

    def _watch_first_data(self) -> None:
        current = self.tabs.currentWidget()
        shown = getattr(current, "data_shown", None)
        if isinstance(shown, SignalInstance):
            shown.connect(self._first_data)
        else:
            QTimer.singleShot(0, self._first_data)  # built is shown: heard once the loop runs

    @property
    def data_was_shown(self) -> bool:
        """True once the first tab has shown its data (start-up is over)."""
        return not self._first_data_pending

    @Slot()
    def _first_data(self) -> None:
        if self._first_data_pending:
            self._first_data_pending = False
            self.first_data_shown.emit()

    # --- menus -----------------------------------------------------------------------------------

    def _menu_action(
        self, key: str, text: str, *shortcuts: QKeySequence.StandardKey | str, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{key}Action")
        keys: list[QKeySequence] = []
        for shortcut in shortcuts:
            if isinstance(shortcut, QKeySequence.StandardKey):
                # The platform's keys for the role; none on some (Preferences on Linux).
                keys += QKeySequence.keyBindings(shortcut)
            else:
                keys.append(QKeySequence(shortcut))
        if keys:
            action.setShortcuts(list(dict.fromkeys(keys)))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        self.addAction(action)  # its keys work whichever tab is shown and whatever has focus
        return action

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        menu_bar.setObjectName("menuBar")
        self.file_menu = file_menu = self._menu("&File", "fileMenu")
        # "Open this post" from any tab (calendar, dashboard) lands in the Drafts composer.
        self.signals.open_post_requested.connect(self._open_post)
        # The Drafts tab owns New post and Save now; until it is built, New post here builds it.
        self.new_post_action = self._menu_action(
            "newPostSoon", "&New post", QKeySequence.StandardKey.New
        )
        self.new_post_action.triggered.connect(self._new_post_before_drafts)
        file_menu.addAction(self.new_post_action)
        self._drafts_actions_end = file_menu.addSeparator()
        from linkie_desktop.ui.data.actions import DataActions  # your data (issue 17)

        self.data_actions = DataActions(
            self, self.workspace, self.signals, self.tasks, self.preferences
        )
        for action in self.data_actions.actions():
            self.addAction(action)
            file_menu.addAction(action)
        self.data_actions.start_daily_backups()
        file_menu.addSeparator()
        self.settings_action = self._menu_action(
            "settings", "&Settings…", QKeySequence.StandardKey.Preferences, "Ctrl+,"
        )
        self.settings_action.triggered.connect(self.settings_requested)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.quit_action = self._menu_action("quit", "&Quit", "Ctrl+Q")
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        if "drafts" in self._specs:
            # Every post action is reachable from the keyboard through the menu bar (Alt+P);
            # the Drafts tab owns them, so the menu is filled when that tab is built: opening
            # the menu builds it, without showing it (opening a menu never changes the tab).
            self.post_menu = post_menu = self._menu("&Post", "postMenu")
            post_menu.setToolTipsVisible(True)  # e.g. why Publish now is unavailable
            post_menu.aboutToShow.connect(lambda: self.page("drafts"))
            # An action chosen acts on the post open in Drafts: show it, and its Undo.
            post_menu.triggered.connect(lambda _action: self.show_tab("drafts"))

        self._build_view_menu()
        self._build_help_menu()
        give_menus_access_keys(menu_bar)

    def _menu(self, title: str, key: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.setObjectName(key)
        # Items added by others (a tab's actions) get their access key and icon as it opens;
        # icons are looked up then, not at start-up.
        menu.aboutToShow.connect(lambda: self._menu_opening(menu))
        return menu

    def _menu_opening(self, menu: QMenu) -> None:
        from linkie_desktop.ui.icons import decorate

        give_access_keys(menu.actions())
        decorate(menu.actions())

    def _build_view_menu(self) -> None:
        view_menu = self._menu("&View", "viewMenu")
        # Window-wide keys, heard before the focused widget: a QPlainTextEdit would otherwise
        # take Ctrl+Tab, and the tab bar hears Ctrl+PgDn only while it has the focus.
        self.next_tab_action = self._menu_action(
            "nextTab", "Next tab", "Ctrl+Tab", "Ctrl+PgDown", tip="Show the next tab"
        )
        self.next_tab_action.triggered.connect(lambda: self.step_tab(+1))
        self.previous_tab_action = self._menu_action(
            "previousTab",
            "Previous tab",
            "Ctrl+Shift+Tab",
            "Ctrl+PgUp",
            tip="Show the previous tab",
        )
        self.previous_tab_action.triggered.connect(lambda: self.step_tab(-1))
        view_menu.addAction(self.next_tab_action)
        view_menu.addAction(self.previous_tab_action)
        view_menu.addSeparator()
        for key, spec in self._specs.items():
            go = QAction(spec.title, view_menu)
            go.setObjectName(f"show{key.capitalize()}Action")
            go.triggered.connect(lambda _checked=False, key=key: self.show_tab(key))
            view_menu.addAction(go)

    def _build_help_menu(self) -> None:
        help_menu = self._menu("&Help", "helpMenu")
        self.shortcuts_action = self._menu_action(
            "shortcuts", "&Keyboard shortcuts", "Ctrl+?", "F1", tip="Every key of the window"
        )
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.log_folder_action = self._menu_action(
            "openLogFolder", "Open &log folder", tip="Show the log files in the file manager"
        )
        self.log_folder_action.triggered.connect(self.open_log_folder)
        self.diagnostics_action = self._menu_action(
            "copyDiagnostics",
            "&Copy diagnostics",
            tip="Versions, folders and the keyring's kind, for a bug report (never a secret)",
        )
        self.diagnostics_action.triggered.connect(self.copy_diagnostics)
        self.about_action = self._menu_action("about", f"&About {DISPLAY_NAME}")
        self.about_action.triggered.connect(self.show_about)
        for action in (self.shortcuts_action, self.log_folder_action, self.diagnostics_action):
            help_menu.addAction(action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def step_tab(self, step: int) -> None:
        """The next (+1) or previous (-1) tab, round the end, as in every tabbed app."""
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def _drafts_built(self, drafts: DraftsTab) -> None:
        """Drafts' own actions take the place of the stand-in, and fill the Post menu."""
        stand_in = self.new_post_action
        self.file_menu.removeAction(stand_in)
        self.removeAction(stand_in)
        stand_in.setShortcuts([])  # gone from the list of shortcuts at once, not at deletion
        stand_in.deleteLater()
        self.new_post_action = drafts.new_action
        self.new_post_action.triggered.connect(lambda: self.show_tab("drafts"))
        self.addAction(self.new_post_action)
        self.addAction(drafts.save_action)
        self.file_menu.insertActions(
            self._drafts_actions_end, [self.new_post_action, drafts.save_action]
        )
        for action in drafts.post_actions():
            if action is None:
                self.post_menu.addSeparator()
            elif action is not self.new_post_action:
                self.post_menu.addAction(action)
        self.post_menu.addSeparator()
        self.post_menu.addAction(drafts.find_action)
        give_menus_access_keys(self.menuBar())

    @Slot()
    def _new_post_before_drafts(self) -> None:
        drafts = self.drafts  # built now; its own New post replaces this one
        if drafts is not None:
            drafts.new_action.trigger()

    @Slot(str)
    def _open_post(self, post_id: str) -> None:
        built = "drafts" in self._pages
        self.show_tab("drafts")
        drafts = self.drafts
        if not built and drafts is not None:
            drafts.open_post(post_id)  # built during this very signal: it did not hear it

    # --- help ------------------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        """Every key of the window: all tabs are built first, so theirs are in the list too."""
        from linkie_desktop.ui.help.keys import collect_shortcuts
        from linkie_desktop.ui.help.shortcuts_dialog import ShortcutsDialog

        for key in self._specs:
            self.page(key)
        places: dict[QObject, str] = {
            page: self._specs[key].title for key, page in self._pages.items()
        }
        shortcuts = collect_shortcuts(self, places, EVERYWHERE)
        order = [EVERYWHERE, *(spec.title for spec in self._specs.values())]
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(shortcuts, order, self)
        self.shortcuts_dialog.open()

    def open_log_folder(self) -> None:
        folder = self.workspace.config.log_dir
        folder.mkdir(parents=True, exist_ok=True)
        if not self._open_url(QUrl.fromLocalFile(str(folder))):
            self.statusBar().showMessage(f"The log folder is {folder}", 10_000)

    def diagnostics(self) -> str:
        from linkie_desktop.ui.help.diagnostics import diagnostics_text

        return diagnostics_text(self.workspace.config, self.preferences.current.appearance)

    def copy_diagnostics(self) -> None:
        QGuiApplication.clipboard().setText(self.diagnostics())
        self.statusBar().showMessage(
            "Diagnostics copied: versions and folders, no secrets. Paste them into your report.",
            10_000,
        )

    def show_about(self) -> None:
        # The version is read here, not at import: importlib.metadata is ~15 ms of a start-up.
        from linkie_desktop import __version__
        from linkie_desktop.ui.help.diagnostics import licence

        self.about_box = QMessageBox(self)
        named(self.about_box, "aboutDialog", f"About {DISPLAY_NAME}")
        self.about_box.setWindowTitle(f"About {DISPLAY_NAME}")
        self.about_box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        self.about_box.setText(f"<b>{DISPLAY_NAME}</b> {__version__}")
        self.about_box.setInformativeText(
            "Write, schedule and publish LinkedIn posts from your own computer.\n"
            "Linkie publishes scheduled posts while it is running.\n\n"
            f"Licence: {licence()}\n"
            f"Your data folder: {self.workspace.config.data_dir}"
        )
        self.about_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.about_box.open()

    # --- status bar ------------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.connection_label = named(QLabel(""), "statusConnection", "LinkedIn connection")
        self.next_post_label = named(QLabel(""), "statusNextPost", "Next scheduled post")
        # Shown while `linkie serve` runs on this database (the shell reads its heartbeat).
        self.background_label = named(
            QLabel("Publishing in the background (linkie serve)"),
            "statusBackgroundPublisher",
            "Background publisher",
        )
        self.background_label.setToolTip(
            "Scheduled posts go out even when this window is closed: a background publisher "
            "(linkie serve) runs on this database."
        )
        self.background_label.hide()
        for label in (self.background_label, self.next_post_label, self.connection_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self.signals.posts_changed.connect(lambda _change: self.refresh_status())
        self.signals.connection_changed.connect(self.refresh_status)
        self.refresh_status()

    def refresh_status(self) -> None:
        engine, user_id = self.workspace.engine, self.workspace.user_id
        self.tasks.run_db(
            lambda: status_bar_figures(engine, user_id),
            self._show_status,
            owner=self,
            key=(id(self), "status bar"),
        )

    def _show_status(self, figures: StatusBarFigures) -> None:
        connection, upcoming = figures.connection, figures.next_post
        self.connection_label.setText(connection.status_line())
        self.connection_label.setToolTip(connection.summary())
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
        last_tab = str(self._state.value("window/tab", "dashboard"))  # first run: the welcome
        fallback = "drafts" if "drafts" in self._specs else next(iter(self._specs), "")
        self.show_tab(last_tab if last_tab in self._specs else fallback)

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
        if self._owns_tasks:  # the shell's runner is the shell's to wait for, after this
            self.tasks.wait_idle()
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
