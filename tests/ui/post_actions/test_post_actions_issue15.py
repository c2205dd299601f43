"""The post actions of issue 15: Publish now asks first (with who will see it, and Don't ask
again), a published post's View on LinkedIn and Copy link, Show activity, the keys for Schedule
and Publish now, and Ctrl+Z for the Undo of a delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QListWidget, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.db import queries
from linkie_desktop.db.engine import transaction
from linkie_desktop.domain.post_content import Visibility
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import PreferencesStore, load_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.help.keys import collect_shortcuts
from linkie_desktop.ui.main_window import MainWindow
from linkie_desktop.ui.post_actions import (
    COPY_LINK,
    DELETE,
    NO_LINK,
    NOT_ON_LINKEDIN,
    PUBLISH_NOW,
    SCHEDULE,
    SHOW_ACTIVITY,
    VIEW_ON_LINKEDIN,
    PostActions,
    PostTarget,
    why_not,
)
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.message_bar import MessageBar
from tests.connection_support import mark_connected
from tests.ui.workspace_support import opened_workspace

WAIT_MS = 5000
URN = "urn:li:share:7200"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


@pytest.fixture
def service(workspace: Workspace) -> PostService:
    return PostService(workspace.engine, workspace.user_id, workspace.config.media_dir)


class _View(QWidget):
    """A view with the actions, its message bar, a list to hold the focus, and the opened pages."""

    def __init__(self, service: PostService, prefs: AppPreferences) -> None:
        super().__init__()
        self.signals = AppSignals()
        self.tasks = TaskRunner(parent=self)
        self.bar = MessageBar("test")
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.list)
        self.opened: list[str] = []
        self.actions_ = PostActions(
            self.tasks,
            service,
            self.signals,
            self.bar,
            self,
            preferences=prefs,
            launcher=self._open,  # the browser, for the test
        )
        self.actions_.set_shortcuts()
        for action in self.actions_.actions.values():
            self.addAction(action)

    def _open(self, url: str) -> bool:
        self.opened.append(url)
        return True

    def settle(self, qtbot: QtBot) -> None:
        qtbot.waitUntil(lambda: self.tasks.pending == 0, timeout=WAIT_MS)

    @property
    def message(self) -> str:
        return self.bar.text_label.text()


@pytest.fixture
def prefs(workspace: Workspace) -> AppPreferences:
    return AppPreferences(PreferencesStore(workspace.config.data_dir), AppSignals())


@pytest.fixture
def view(qtbot: QtBot, service: PostService, prefs: AppPreferences) -> _View:
    mark_connected(service.engine, service.user_id)
    made = _View(service, prefs)
    qtbot.addWidget(made)
    made.show()
    made.settle(qtbot)
    return made


def _post(
    service: PostService, status: PostStatus, urn: str | None = None, **columns: object
) -> PostTarget:
    record = service.create_draft("Launch", "Ready to go")
    with transaction(service.engine) as session:
        changes = {"status": status, "linkedin_post_urn": urn, **columns}
        queries.update_post(session, record.id, changes, service.user_id)  # type: ignore[arg-type]
    return PostTarget.of_record(service.get(record.id))


def _question(qtbot: QtBot, view: _View) -> tuple[str, str, QPushButton, QCheckBox | None]:
    qtbot.waitUntil(lambda: view.actions_.publish_question is not None, timeout=WAIT_MS)
    box = view.actions_.publish_question
    assert box is not None
    button = box.findChild(QPushButton, "publishNowConfirm")
    assert button is not None
    return box.text(), box.informativeText(), button, box.findChild(QCheckBox, "publishNowDontAsk")


@pytest.mark.parametrize(
    ("visibility", "who"),
    [
        (Visibility.PUBLIC, "Everyone will see it."),
        (Visibility.CONNECTIONS, "Your connections will see it."),
    ],
)
def test_publish_now_asks_who_will_see_it_and_sends_only_when_confirmed(
    qtbot: QtBot, view: _View, service: PostService, visibility: Visibility, who: str
) -> None:
    post = _post(service, PostStatus.DRAFT, visibility=visibility.value)
    sent: list[str] = []
    view.actions_.publish_now_requested.connect(sent.append)
    view.actions_.act(PUBLISH_NOW, post)
    text, details, _publish, _again = _question(qtbot, view)
    assert text == "Publish to LinkedIn now?" and details.endswith(who)
    assert view.actions_.publish_question is not None
    view.actions_.publish_question.reject()  # Cancel
    qtbot.waitUntil(lambda: view.actions_.publish_question is None, timeout=WAIT_MS)
    assert sent == []

    view.actions_.act(PUBLISH_NOW, post)
    _text, _details, publish, _again = _question(qtbot, view)
    with qtbot.waitSignal(view.actions_.publish_now_requested, timeout=WAIT_MS):
        publish.click()
    assert sent == [post.id] and view.message == "Sending “Launch” to LinkedIn now…"


def test_dont_ask_again_is_kept_and_the_next_publish_goes_at_once(
    qtbot: QtBot, view: _View, service: PostService, prefs: AppPreferences, workspace: Workspace
) -> None:
    first, second = _post(service, PostStatus.DRAFT), _post(service, PostStatus.SCHEDULED)
    view.actions_.act(PUBLISH_NOW, first)
    _text, _details, publish, again = _question(qtbot, view)
    assert again is not None and again.text() == "Don't ask again"
    again.setChecked(True)
    with qtbot.waitSignal(view.actions_.publish_now_requested, timeout=WAIT_MS):
        publish.click()
    assert not prefs.current.confirm_publish_now
    assert not load_preferences(workspace.config.data_dir).confirm_publish_now  # on disk

    with qtbot.waitSignal(view.actions_.publish_now_requested, timeout=WAIT_MS) as asked:
        view.actions_.act(PUBLISH_NOW, second)
    assert asked.args == [second.id] and view.actions_.publish_question is None


def test_a_published_post_is_viewed_and_its_link_copied(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    post = _post(service, PostStatus.PUBLISHED, URN)
    page = f"https://www.linkedin.com/feed/update/{URN}/"
    view.actions_.act(VIEW_ON_LINKEDIN, post)
    assert view.opened == [page]
    view.actions_.act(COPY_LINK, post)
    assert QGuiApplication.clipboard().text() == page
    assert view.message == "The link to “Launch” is copied."

    # A view whose posts do not carry the URN (the calendar's): read from the database.
    bare = PostTarget(post.id, post.status, post.label)
    view.actions_.act(VIEW_ON_LINKEDIN, bare)
    qtbot.waitUntil(lambda: len(view.opened) == 2, timeout=WAIT_MS)
    assert view.opened[1] == page


def test_only_a_published_post_offers_its_page_and_an_unknown_address_says_so(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    draft = _post(service, PostStatus.DRAFT)
    assert why_not(VIEW_ON_LINKEDIN, draft, view.actions_.connection) == NOT_ON_LINKEDIN
    assert why_not(COPY_LINK, draft, view.actions_.connection) == NOT_ON_LINKEDIN
    menu = view.actions_.menu_for(draft, view)
    [viewing] = [a for a in menu.actions() if a.objectName() == f"{VIEW_ON_LINKEDIN}Action"]
    assert not viewing.isEnabled() and viewing.toolTip() == NOT_ON_LINKEDIN
    marked = _post(service, PostStatus.PUBLISHED)  # marked as published without its link
    view.actions_.act(VIEW_ON_LINKEDIN, marked)
    qtbot.waitUntil(lambda: view.message == NO_LINK, timeout=WAIT_MS)
    assert view.opened == []


def test_show_activity_asks_the_window_for_the_posts_history(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    post = _post(service, PostStatus.DRAFT)
    with qtbot.waitSignal(view.actions_.show_activity_requested) as asked:
        view.actions_.act(SHOW_ACTIVITY, post)
    assert asked.args == [post.id]


def test_schedule_and_publish_now_have_keys_no_other_action_of_the_window_uses(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    drafts = window.page("drafts")
    assert drafts is not None
    keys = {a.objectName(): a.shortcut().toString() for a in drafts.findChildren(QAction)}
    assert keys[f"{SCHEDULE}Action"] == "Ctrl+Shift+S"
    assert keys[f"{PUBLISH_NOW}Action"] == "Ctrl+Shift+P"
    for tab in ("dashboard", "calendar", "studio", "analytics"):
        window.page(tab)  # every tab built: its keys are in the list too
    listed = collect_shortcuts(window, {}, "Everywhere")
    every = [shortcut.keys for shortcut in listed]
    for key in ("Ctrl+Shift+S", "Ctrl+Shift+P"):
        assert sum(key in keys_text for keys_text in every) == 1, key


def test_ctrl_z_undoes_a_delete_while_the_undo_bar_shows(
    qtbot: QtBot, view: _View, service: PostService
) -> None:
    post = _post(service, PostStatus.DRAFT)
    assert not view.actions_.undo_action.isEnabled()
    view.actions_.act(DELETE, post)
    view.settle(qtbot)
    assert view.bar.action_button.text() == "Undo" and view.actions_.undo_action.isEnabled()
    view.activateWindow()
    view.list.setFocus()
    qtbot.waitUntil(view.list.hasFocus)
    QTest.keySequence(view.list, QKeySequence(QKeySequence.StandardKey.Undo))
    view.settle(qtbot)
    assert service.get(post.id).status == PostStatus.DRAFT  # back, not in the trash
    assert view.message == "“Launch” is back."
    assert not view.actions_.undo_action.isEnabled()
    QTest.keyClick(view.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    view.settle(qtbot)
    assert view.message == "“Launch” is back."  # nothing pending: Ctrl+Z does nothing
