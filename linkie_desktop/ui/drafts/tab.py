"""The Drafts tab: the posts list (filter, search, sort) beside the composer, and post actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter, QToolBar, QVBoxLayout, QWidget

from linkie_desktop.services.oauth import ConnectionInfo
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.drafts.post_list import PostList
from linkie_desktop.ui.drafts.profile_source import ProfileSource
from linkie_desktop.ui.drafts.schedule_prompt import SchedulePrompt
from linkie_desktop.ui.post_actions import (
    DELETE,
    DUPLICATE,
    MARK_PUBLISHED,
    NEW,
    PUBLISH_NOW,
    RETRY,
    SCHEDULE,
    UNSCHEDULE,
    PostActions,
    PostTarget,
)
from linkie_desktop.ui.preferences import AppPreferences, window_preferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.message_bar import MessageBar

if TYPE_CHECKING:  # imported on the composer's own turn: the list comes first (see below)
    from linkie_desktop.ui.drafts.composer import Composer

OPEN_POST_KEY = "drafts/open_post"  # in the window's state file
# The composer waits for the list's first paint: a 0 ms timer runs in the same turn as that
# paint (as the composer's own preview does, composer.PREVIEW_DELAY_MS).
COMPOSER_DELAY_MS = 15


class DraftsTab(QWidget):
    publish_now_requested = Signal(str)  # post id, for the publisher driver to serve
    # The list's first page (or why it could not be read) is on screen; --smoke waits for it.
    data_shown = Signal()

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        tasks: TaskRunner | None = None,
        *,
        preferences: AppPreferences | None = None,
        window_state: QSettings | None = None,
    ) -> None:
        super().__init__()
        named(self, "draftsTab", "Drafts")
        # The window's state file: the post being edited is opened again at the next start.
        self._window_state = window_state
        self._workspace = workspace
        self._signals = signals
        # The window's preferences object: the schedule prompt's default time, read at each use.
        self.preferences = window_preferences(preferences, workspace.config.data_dir, signals, self)
        # The window's runner once the shell hands it out (issue 13); until then the tab's own.
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        # New posts take Settings › Posting's visibility, as it is when each one is made.
        self._service = PostService(
            workspace.engine,
            workspace.user_id,
            workspace.config.media_dir,
            preferences=lambda: self.preferences.current,
        )

        self.posts = PostList(self._service, self.tasks)
        # The composer is built on the event loop's next turn, once the list is on screen (or
        # at once when something asks for it): list and composer together are more than one
        # turn of the GUI thread should take (issue 13).
        self._composer: Composer | None = None
        self._composer_slot = QWidget()
        # The name and picture posts appear under, in the preview: read once, again on reconnect.
        self.profile_source = ProfileSource(
            self.tasks,
            workspace.engine,
            workspace.user_id,
            workspace.config.data_dir,
            signals,
            parent=self,
        )
        self.message_bar = MessageBar("drafts")
        self.shared_actions = PostActions(
            self.tasks,
            self._service,
            signals,
            self.message_bar,
            self,
            default_time=lambda: self.preferences.current.default_time,
            prepare=self._save_typing,  # act on what was typed: it is saved first
            preferences=self.preferences,  # where Publish now's "Don't ask again" is kept
        )
        self._build_actions()
        self.posts.add_context_actions(self.post_actions())
        self._build_layout()
        self._connect()
        self._update_actions()
        self.tasks.later(COMPOSER_DELAY_MS, self, self._build_composer)

    # --- construction ----------------------------------------------------------------------------

    @property
    def composer(self) -> Composer:
        return self._composer if self._composer is not None else self._build_composer()

    def _build_composer(self) -> Composer:
        if self._composer is not None:
            return self._composer
        from linkie_desktop.ui.drafts.composer import Composer

        composer = Composer(
            self._service,
            self.tasks,
            data_dir=self._workspace.config.data_dir,
            window_state=self._window_state,
        )
        self._composer = composer
        self.splitter.replaceWidget(1, composer)
        self.splitter.setStretchFactor(1, 1)  # kept in the widget's size policy: the slot's
        self._composer_slot.deleteLater()
        self.setTabOrder(self.posts.view, composer.title_edit)
        composer.saved.connect(self._on_composer_saved)
        composer.loaded.connect(self._on_composer_loaded)
        composer.stayed.connect(self._after_reset)
        composer.body_edit.textChanged.connect(self._update_actions)
        composer.problem.connect(self._warn)
        self._signals.connection_changed.connect(composer.refresh)
        self.profile_source.profile_changed.connect(composer.show_profile)
        self.profile_source.refresh()
        self._update_actions()
        self._reopen_last_post()
        return composer

    def _save_typing(self) -> bool:
        return self._composer.flush() if self._composer is not None else True

    def _warn(self, text: str) -> None:
        self.message_bar.show_message(text, warning=True)

    def _build_actions(self) -> None:
        actions = self.shared_actions.actions
        self.shared_actions.set_shortcuts()
        self.new_action = actions[NEW]
        self.duplicate_action = actions[DUPLICATE]
        self.delete_action = actions[DELETE]
        self.schedule_action = actions[SCHEDULE]
        self.unschedule_action = actions[UNSCHEDULE]
        self.publish_action = actions[PUBLISH_NOW]
        self.retry_action = actions[RETRY]
        self.mark_published_action = actions[MARK_PUBLISHED]
        for action in actions.values():
            # Delete must not fire while the user deletes characters in the composer: it
            # belongs to the list only (added to the view with the context menu), not the tab.
            if action is not self.delete_action:
                self.addAction(action)
        key = QKeySequence
        self.save_action = self._action(
            "saveNow",
            "Save now",
            key(key.StandardKey.Save),
            "Save now (Ctrl+S); Linkie also saves as you type",
            window_wide=True,
        )
        self.find_action = self._action(
            "findPosts", "Search", key(key.StandardKey.Find), "Search your posts (Ctrl+F)"
        )

    def _action(
        self, key: str, text: str, shortcut: QKeySequence, tip: str, window_wide: bool = False
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{key}Action")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcut(shortcut)
        if not window_wide:
            # Ctrl+F pressed in the Calendar must not act on the hidden Drafts tab.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def post_actions(self) -> tuple[QAction | None, ...]:
        """The post actions in menu order; None marks a separator."""
        return self.shared_actions.in_menu_order()

    @property
    def schedule_prompt(self) -> SchedulePrompt | None:
        return self.shared_actions.schedule_prompt

    def _build_layout(self) -> None:
        toolbar = QToolBar("Post actions")
        toolbar.setObjectName("draftsToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in self.post_actions():
            if action is None:
                toolbar.addSeparator()
                continue
            toolbar.addAction(action)
            button = toolbar.widgetForAction(action)
            named(button, f"{action.objectName().removesuffix('Action')}Button", action.text())

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("draftsSplitter")
        self.splitter.addWidget(self.posts)
        self.splitter.addWidget(self._composer_slot)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 440])  # a proportion: the list gets a little more room
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(toolbar)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.shared_actions.new_post_requested.connect(self.new_post)
        self.shared_actions.publish_now_requested.connect(self.publish_now_requested)
        self.shared_actions.post_created.connect(self.open_post)
        self.shared_actions.post_deleted.connect(self._on_post_deleted)
        self.save_action.triggered.connect(self.save_now)
        self.find_action.triggered.connect(self.posts.focus_search)
        self.posts.post_chosen.connect(self._on_post_chosen)
        self.posts.model.modelReset.connect(self._after_reset)
        self.posts.model.counted.connect(lambda _count: self.data_shown.emit())
        self.posts.model.problem.connect(lambda _text: self.data_shown.emit())
        self.posts.problem.connect(self._warn)
        self._signals.posts_changed.connect(self._on_posts_changed)
        self._signals.open_post_requested.connect(self.open_post)
        # A due post reads "Waiting — reconnect LinkedIn" while the connection cannot send it,
        # in the list and in the composer's notice.
        self._signals.connection_changed.connect(self.posts.model.reload)

    # --- list ------------------------------------------------------------------------------------

    def _on_post_chosen(self, post_id: str) -> None:
        if post_id == self.composer.post_id:
            return
        if not self.composer.load(post_id):
            # The text on screen could not be saved: stay with it rather than drop it.
            QTimer.singleShot(0, self._after_reset)

    def _after_reset(self) -> None:
        self.posts.select(self._composer.post_id if self._composer is not None else None)

    def open_post(self, post_id: str) -> None:
        self.composer.load(post_id)

    def _on_composer_loaded(self) -> None:
        self.posts.select(self.composer.post_id)
        self._update_actions()
        self._remember_open_post()

    def _reopen_last_post(self) -> None:
        """The post that was open when Linkie last closed, opened again (if it still exists: a
        post deleted meanwhile reads as none, and the composer shows a new one)."""
        if self._window_state is None:
            return
        post_id = str(self._window_state.value(OPEN_POST_KEY, "") or "")
        if post_id:
            self.composer.load(post_id)

    def _remember_open_post(self) -> None:
        if self._window_state is not None:
            self._window_state.setValue(OPEN_POST_KEY, self.composer.post_id or "")

    def _on_post_deleted(self, post_id: str) -> None:
        if self._composer is None or self._composer.post_id != post_id:
            return
        # The next row (else the one before) takes the deleted one's place, as in any list.
        model = self.posts.model
        row = model.row_of(post_id)
        following = None if row is None else model.post_id_at(row + 1) or model.post_id_at(row - 1)
        self.composer.load(following)
        self.posts.view.setFocus()

    # --- staying in sync -------------------------------------------------------------------------

    def _on_composer_saved(self, record: PostRecord) -> None:
        # The row shows what was just written; nobody in this tab reads it back.
        self.posts.model.show_saved(record)
        self._update_actions()
        self._remember_open_post()  # a new post has its id from its first save
        self._signals.announce_posts([record.id], initiator=self)

    def _on_posts_changed(self, change: PostsChanged) -> None:
        if change.echoes(self):
            return  # the composer's own save: the row is up to date already
        self.posts.model.apply_changes(list(change.post_ids))
        if self._composer is not None and change.concerns(self._composer.post_id):
            self._composer.refresh()

    @property
    def connection(self) -> ConnectionInfo | None:
        return self.shared_actions.connection

    def _update_actions(self) -> None:
        composer = self._composer
        record = composer.record if composer is not None else None
        if composer is None or record is None:
            self.shared_actions.set_post(None)
            return
        self.shared_actions.set_post(PostTarget.of_record(record, composer.body_edit.toPlainText()))

    # --- post actions ----------------------------------------------------------------------------

    def new_post(self) -> None:
        self.composer.load(None)
        self.posts.view.selectionModel().clearSelection()
        self._update_actions()
        self.composer.body_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_now(self) -> None:
        # With typing unsaved, the save state beside the counter follows the save to its end.
        if self.composer.flush() and self.composer.settled and self.composer.record is not None:
            self.message_bar.show_message("Saved.", timeout_ms=2000)

    # --- shutting down ---------------------------------------------------------------------------

    def shutdown(self) -> bool:
        """The window closes: let a pending Undo expire and wait for the last save.

        False when the text could not be saved, so the window can ask before closing.
        """
        self.shared_actions.shutdown()
        # Waits for the runner: an image being copied lands before the database closes too.
        return self._composer.finish() if self._composer is not None else True
