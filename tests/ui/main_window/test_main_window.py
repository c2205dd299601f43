"""The main window: tabs, menus, status bar, remembered geometry, and saving on close."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop import __version__
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences, PreferencesStore, save_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from linkie_desktop.ui.drafts.tab import DraftsTab
from linkie_desktop.ui.main_window import WINDOW_STATE_FILE, MainWindow, TabSpec, default_tabs
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.studio.tab import StudioTab
from linkie_desktop.ui.tasks import TaskRunner
from tests.connection_support import mark_connected
from tests.ui.publish_question_support import say_publish
from tests.ui.workspace_support import database_locked, impatient_engine, make_workspace

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def workspace(engine: Engine, user_id: str, tmp_path: Path) -> Workspace:
    return make_workspace(engine, user_id, tmp_path / "appdata")


@pytest.fixture
def state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot: QtBot, workspace: Workspace, state: QSettings) -> Iterator[WindowFactory]:
    def build(**kwargs: object) -> MainWindow:
        kwargs.setdefault("window_state", state)
        window = MainWindow(workspace, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        _settle(qtbot, window)
        return window

    yield build


def _settle(qtbot: QtBot, window: MainWindow) -> None:
    """Reads started from the window (status bar, the tab on screen) have been answered."""
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=10_000)


def test_tabs_are_there_in_order(make_window: WindowFactory) -> None:
    window = make_window()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Dashboard", "Drafts", "Calendar", "Studio", "Analytics", "Activity"]
    assert window.drafts is not None


class _CalendarStandIn(QWidget):
    publish_now_requested = Signal(str)


def test_a_tab_is_swapped_by_replacing_its_factory(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    def calendar(_workspace: Workspace, _signals: AppSignals, *, tasks: TaskRunner) -> QWidget:
        page = _CalendarStandIn()
        page.setObjectName("realCalendar")
        return page

    tabs = [
        spec if spec.key != "calendar" else TabSpec("calendar", "Calendar", calendar)
        for spec in default_tabs()
    ]
    window = make_window(tabs=tabs)
    page = window.page("calendar")
    assert isinstance(page, _CalendarStandIn)
    with qtbot.waitSignal(window.publish_now_requested) as request:
        page.publish_now_requested.emit("post-1")  # the tab's own Publish now reaches the driver
    assert request.args == ["post-1"]


def test_ctrl_n_opens_a_new_post_from_any_tab(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.show_tab("analytics")
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    drafts = window.drafts
    assert drafts is not None
    assert window.tabs.currentWidget() is drafts
    assert drafts.composer.post_id is None
    assert drafts.composer.body_edit.hasFocus()


def test_settings_and_about_and_quit(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    with qtbot.waitSignal(window.settings_requested):
        window.settings_action.trigger()

    window.about_action.trigger()
    assert window.about_box is not None
    assert __version__ in window.about_box.text()
    window.about_box.close()

    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    window.quit_action.trigger()
    assert not window.isVisible()


def test_status_bar_shows_connection_and_next_post(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    window = make_window()
    assert window.connection_label.text() == "LinkedIn: not connected"
    assert window.next_post_label.text() == "Nothing scheduled"

    service = PostService(workspace.engine, workspace.user_id)
    post = service.create_draft("Weekly kickoff", "New week")
    service.schedule(post.id, datetime.now(UTC) + timedelta(days=3))
    mark_connected(workspace.engine, workspace.user_id)
    window.signals.announce_posts([post.id])
    window.signals.connection_changed.emit()
    _settle(qtbot, window)

    assert window.connection_label.text() == "LinkedIn: connected"  # no name before userinfo
    assert "Weekly kickoff" in window.next_post_label.text()


def _plain_page(_workspace: Workspace, _signals: AppSignals, *, tasks: TaskRunner) -> QWidget:
    return QWidget()


def _light_tabs() -> list[TabSpec]:
    """The real Drafts tab beside plain pages: a window small enough for the offscreen screen."""
    return [
        spec if spec.key == "drafts" else TabSpec(spec.key, spec.title, _plain_page)
        for spec in default_tabs()
    ]


def test_geometry_and_last_tab_come_back_at_next_start(
    make_window: WindowFactory, state: QSettings
) -> None:
    first = make_window(tabs=_light_tabs())
    first.resize(701, 455)  # within the 800x600 offscreen screen
    first.show_tab("calendar")
    first.close()

    second = make_window(tabs=_light_tabs())
    assert second.tabs.currentWidget() is second.page("calendar")
    assert (second.width(), second.height()) == (701, 455)


def test_window_state_is_kept_in_the_profile_data_folder(
    make_window: WindowFactory, workspace: Workspace
) -> None:
    window = make_window(window_state=None)
    window.close()
    assert (workspace.config.data_dir / WINDOW_STATE_FILE).is_file()


def test_closing_the_window_saves_what_was_typed(
    make_window: WindowFactory, workspace: Workspace
) -> None:
    window = make_window()
    drafts = window.drafts
    assert drafts is not None
    drafts.new_post()
    QTest.keyClicks(drafts.composer.body_edit, "typed just before closing")
    assert drafts.composer.autosave_timer.isActive()

    window.close()

    posts = PostService(workspace.engine, workspace.user_id).list()
    assert [p.content for p in posts] == ["typed just before closing"]


def test_publish_now_reaches_the_window_signal(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    mark_connected(workspace.engine, workspace.user_id)
    post = PostService(workspace.engine, workspace.user_id).create_draft("", "Go")
    window = make_window()
    drafts = window.drafts
    assert drafts is not None
    drafts.open_post(post.id)
    qtbot.waitUntil(lambda: drafts.composer.post_id == post.id)  # read on the database worker
    _settle(qtbot, window)
    with qtbot.waitSignal(window.publish_now_requested) as request:
        drafts.publish_action.trigger()
        say_publish(qtbot, drafts.shared_actions)  # "Publish to LinkedIn now?"
    assert request.args == [post.id]


def test_every_post_action_is_in_the_post_menu(make_window: WindowFactory) -> None:
    window = make_window()
    drafts = window.drafts
    assert drafts is not None
    post_menu = window.findChild(QMenu, "postMenu")
    assert post_menu is not None
    in_menu = {action.objectName() for action in post_menu.actions() if not action.isSeparator()}
    assert {
        "duplicatePostAction",
        "deletePostAction",
        "schedulePostAction",
        "unschedulePostAction",
        "publishNowAction",
        "retryPostAction",
        "markPublishedAction",
        "findPostsAction",
    } <= in_menu
    assert (
        drafts.schedule_action in drafts.posts.view.actions()
    )  # and on the list's right-click menu


def test_closing_with_text_that_cannot_be_saved_asks_first(
    qtbot: QtBot,
    engine: Engine,
    user_id: str,
    db_path: Path,
    tmp_path: Path,
    state: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quick = impatient_engine(db_path, monkeypatch)
    window = MainWindow(make_workspace(quick, user_id, tmp_path / "app"), window_state=state)
    qtbot.addWidget(window)
    window.show()
    drafts = window.drafts
    assert drafts is not None
    drafts.new_post()
    QTest.keyClicks(drafts.composer.body_edit, "words that must not vanish")
    questions: list[bool] = []

    def stay() -> bool:  # the user answers Cancel in the modal question
        questions.append(True)
        return False

    monkeypatch.setattr(window, "_close_anyway", stay)
    with database_locked(db_path):
        window.close()
        assert questions == [True]
        assert window.isVisible()

    window.close()  # the lock is gone: saved, and no question this time
    assert questions == [True]
    assert not window.isVisible()
    posts = PostService(quick, user_id).list()
    assert [post.content for post in posts] == ["words that must not vanish"]
    quick.dispose()


def test_open_post_requested_shows_the_post_in_the_drafts_composer(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    post = PostService(workspace.engine, workspace.user_id).create_draft("From calendar", "x")
    window = make_window()
    window.show_tab("calendar")
    window.signals.open_post_requested.emit(post.id)
    drafts = window.drafts
    assert drafts is not None
    assert window.tabs.currentWidget() is drafts
    qtbot.waitUntil(lambda: drafts.composer.post_id == post.id)  # read on the database worker
    _settle(qtbot, window)
    assert drafts.publish_action.toolTip().startswith("Connect your LinkedIn account")


def test_status_bar_warns_a_week_before_the_connection_expires(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    mark_connected(workspace.engine, workspace.user_id, expires_in=timedelta(days=3, hours=1))
    window = make_window()
    assert window.connection_label.text() == (
        "LinkedIn: connection expires in 3 days — reconnect in Settings"
    )
    mark_connected(workspace.engine, workspace.user_id, expires_in=timedelta(days=30))
    window.signals.connection_changed.emit()
    _settle(qtbot, window)
    assert window.connection_label.text() == "LinkedIn: connected"
    assert "token expires in 30 days" in window.connection_label.toolTip()


# --- the one preferences object ------------------------------------------------------------------


def _window_preferences(workspace: Workspace) -> tuple[AppSignals, AppPreferences]:
    signals = AppSignals()
    return signals, AppPreferences(PreferencesStore(workspace.config.data_dir), signals)


def test_tabs_that_read_preferences_get_the_windows_object(
    make_window: WindowFactory, workspace: Workspace
) -> None:
    signals, prefs = _window_preferences(workspace)
    got: list[object] = []

    def reader(
        _workspace: Workspace,
        _signals: AppSignals,
        *,
        tasks: TaskRunner,
        preferences: AppPreferences,
    ) -> QWidget:
        got.append(preferences)
        return QWidget()

    tabs = [*_light_tabs(), TabSpec("reader", "Reader", reader)]
    window = make_window(tabs=tabs, signals=signals, preferences=prefs)
    window.page("reader")
    window.page("calendar")  # a factory without the keyword is built as before
    assert got == [prefs]
    assert window.preferences is prefs


def test_drafts_studio_and_analytics_read_the_windows_preferences_not_the_file(
    make_window: WindowFactory, workspace: Workspace
) -> None:
    signals, prefs = _window_preferences(workspace)
    window = make_window(signals=signals, preferences=prefs)
    prefs.save(Preferences(anthropic_model="claude-opus-5-5", linkedin_version="202601"))
    # Another process rewrites the file: this window's one object is what counts.
    save_preferences(workspace.config.data_dir, Preferences(anthropic_model="file-model"))

    drafts, studio, analytics = (window.page(key) for key in ("drafts", "studio", "analytics"))
    assert isinstance(drafts, DraftsTab) and drafts.preferences is prefs
    assert isinstance(studio, StudioTab)
    assert studio.service.preferences().anthropic_model == "claude-opus-5-5"
    assert isinstance(analytics, AnalyticsTab) and analytics.preferences is prefs


def test_the_schedule_prompt_proposes_the_time_saved_in_settings(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    post = PostService(workspace.engine, workspace.user_id).create_draft("", "Tomorrow's post")
    signals, prefs = _window_preferences(workspace)
    window = make_window(tabs=_light_tabs(), signals=signals, preferences=prefs)
    prefs.save(Preferences(default_post_time="07:35"))  # Settings › Posting, after start
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="18:10"))
    drafts = window.drafts
    assert drafts is not None
    drafts.open_post(post.id)
    qtbot.waitUntil(lambda: drafts.composer.post_id == post.id, timeout=10_000)
    _settle(qtbot, window)

    drafts.schedule_action.trigger()

    prompt = drafts.schedule_prompt
    assert prompt is not None
    shown = prompt.when_edit.dateTime().time()
    assert (shown.hour(), shown.minute()) == (7, 35)
    prompt.reject()


def test_publish_now_from_the_dashboard_reaches_the_window_signal(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    mark_connected(workspace.engine, workspace.user_id)
    post = PostService(workspace.engine, workspace.user_id).create_draft("", "Go")
    PostService(workspace.engine, workspace.user_id).schedule(
        post.id, datetime.now(UTC) + timedelta(days=2)
    )
    tabs = [
        spec if spec.key == "dashboard" else TabSpec(spec.key, spec.title, _plain_page)
        for spec in default_tabs()
    ]
    window = make_window(tabs=tabs)
    window.show_tab("dashboard")
    dashboard = window.page("dashboard")
    assert isinstance(dashboard, DashboardTab)
    qtbot.waitUntil(lambda: dashboard.figures is not None, timeout=10_000)
    _settle(qtbot, window)
    menu = dashboard.post_menu_for(post.id)
    assert menu is not None
    publish = next(a for a in menu.actions() if a.objectName() == "publishNowAction")
    with qtbot.waitSignal(window.publish_now_requested) as request:
        publish.trigger()
        say_publish(qtbot, dashboard.post_actions)  # "Publish to LinkedIn now?"
    assert request.args == [post.id]


def test_the_post_being_edited_is_open_again_at_the_next_start(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace
) -> None:
    service = PostService(workspace.engine, workspace.user_id)
    first = service.create_draft("First", "one")
    second = service.create_draft("Second", "two")
    window = make_window()
    drafts = window.drafts
    assert drafts is not None
    drafts.open_post(second.id)
    qtbot.waitUntil(lambda: drafts.composer.post_id == second.id)
    window.close()

    again = make_window()
    reopened = again.drafts
    assert reopened is not None
    qtbot.waitUntil(lambda: reopened.composer.post_id == second.id)
    assert reopened.composer.body_edit.toPlainText() == "two"
    assert first.id != second.id


def test_new_post_at_start_is_not_replaced_by_the_post_reopened(
    qtbot: QtBot, make_window: WindowFactory, workspace: Workspace, state: QSettings
) -> None:
    post = PostService(workspace.engine, workspace.user_id).create_draft("Old", "old text")
    state.setValue("drafts/open_post", post.id)
    window = MainWindow(workspace, window_state=state)
    qtbot.addWidget(window)
    drafts = window.drafts  # built now: its reopening read is on its way
    assert drafts is not None
    drafts.new_post()  # Ctrl+N before that read answers
    _settle(qtbot, window)
    assert drafts.composer.post_id is None
    assert drafts.composer.body_edit.toPlainText() == ""
